//! The page's inline stylesheet and the script that filters the findings table: inline so that
//! the page fetches nothing.

pub(super) const STYLE: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5rem;color:#1d2433;background:#fff}
h1{font-size:1.5rem;margin:0 0 .5rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid #d6dae3}
table{border-collapse:collapse;width:100%;font-size:.85rem}th,td{border:1px solid #d6dae3;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f2f4f8}td.spec{padding-left:1.4rem}code{font-size:.8rem;word-break:break-all}
.badge{display:inline-block;padding:0 .4rem;border-radius:.6rem;font-size:.75rem;font-weight:600;color:#fff;background:#6b7280}
.badge.pass{background:#1a7f37}.badge.fail{background:#cf222e}.badge.error{background:#bf8700}.badge.waived,.badge.unmatched,.badge.expired,.badge.applied{background:#9a6700}.badge.not-applicable,.badge.not-evaluated{background:#8c959f}
.badge.inherited{background:#0969da}.badge.organizational{background:#8250df}
.badge.holds{background:#1a7f37}.badge.broken{background:#cf222e}.badge.not-verified{background:#bf8700}.badge.manual{background:#8250df}
blockquote{margin:.2rem 0;padding-left:.6rem;border-left:3px solid #d6dae3;font-style:italic}
.cards{display:flex;gap:.8rem;flex-wrap:wrap}.card{border:1px solid #d6dae3;border-radius:.4rem;padding:.5rem .9rem;min-width:7rem}
.card b{display:block;font-size:1.4rem}.charts{display:flex;gap:2rem;flex-wrap:wrap}.chart{max-width:100%}
.legend span{margin-right:1rem;font-size:.8rem}.sw{display:inline-block;width:.8rem;height:.8rem;margin-right:.25rem;vertical-align:middle}
.filters{margin:.5rem 0;display:flex;gap:.6rem;align-items:center}input,select{font:inherit;padding:.2rem .4rem}
pre{margin:0;white-space:pre-wrap;font-size:.75rem}details summary{cursor:pointer}
"#;

pub(super) const SCRIPT: &str = r#"
(function(){
  var q=document.getElementById('filter-text'),s=document.getElementById('filter-status'),
      p=document.getElementById('filter-provider'),n=document.getElementById('shown-count'),
      rows=Array.prototype.slice.call(document.querySelectorAll('#findings tbody tr.finding'));
  function apply(){
    var t=q.value.toLowerCase(),st=s.value,pv=p.value,shown=0;
    rows.forEach(function(r){
      var ok=(!st||r.getAttribute('data-status')===st)&&(!pv||r.getAttribute('data-provider')===pv)&&
             (!t||r.textContent.toLowerCase().indexOf(t)>=0);
      r.hidden=!ok;if(ok)shown++;
    });
    n.textContent=String(shown);
  }
  q.addEventListener('input',apply);s.addEventListener('change',apply);p.addEventListener('change',apply);
  apply();document.body.setAttribute('data-js','ready');
})();
"#;
