//! What the replay server, the fault proxy and the credential stand-ins share: a thread that
//! accepts connections on a free port of 127.0.0.1, one thread per connection (clients keep
//! connections alive in pools, and a connection must never wait for another to close), and
//! an orderly stop when dropped.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

pub(crate) struct Listening {
    stop: Arc<AtomicBool>,
    pub(crate) addr: SocketAddr,
    thread: Option<JoinHandle<()>>,
}

impl Listening {
    /// Accept on 127.0.0.1 and hand each connection to `serve` on its own thread.
    pub(crate) fn start(
        serve: impl Fn(TcpStream) + Send + Sync + 'static,
    ) -> Result<Listening, String> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let stop = Arc::new(AtomicBool::new(false));
        let halt = stop.clone();
        let serve = Arc::new(serve);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if halt.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let serve = serve.clone();
                    std::thread::spawn(move || serve(stream));
                }
            }
        });
        Ok(Listening {
            stop,
            addr,
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:<port>`
    pub(crate) fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.addr.port())
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
