//! `phiscan`: proves, resource by resource, whether a cloud estate holding ePHI keeps its
//! HIPAA security promises. See README.md.

mod cli;

fn main() {
    limit_malloc_arenas();
    std::process::exit(cli::run());
}

/// glibc gives each thread that finds the allocator busy an arena of its own, up to eight
/// per core, and each arena keeps the memory freed into it. A scan's threads (the async
/// runtime's and the evaluation's) then hold several heaps' worth of free memory: at N = 50
/// on moto, 85 MB peak RSS with glibc's default against 69 MB with 2 arenas on 2 cores, at
/// the same speed (BENCHMARKS.md, "Memory at N = 50"). One arena per core; an arena limit
/// the environment sets (`MALLOC_ARENA_MAX`, `GLIBC_TUNABLES`) is left as it is.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    let tuned = std::env::var_os("MALLOC_ARENA_MAX").is_some()
        || std::env::var("GLIBC_TUNABLES").is_ok_and(|t| t.contains("arena_max"));
    if tuned {
        return;
    }
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let arenas = libc::c_int::try_from(cores.max(2)).unwrap_or(libc::c_int::MAX);
    // SAFETY: mallopt only sets a parameter of the allocator, before any other thread runs;
    // a value it refuses leaves the default in place (its result says so; nothing to do).
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, arenas);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}

/// Give the memory freed since the last call back to the system. glibc returns only the top
/// of a heap on its own; what an account of an organization freed in the middle of it (its
/// records, its API answers) stays resident, and the next account's allocations land
/// elsewhere. Called once an account's part has been evaluated and dropped, so an
/// organization's peak is what the accounts in flight hold, not what they once held.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub(crate) fn release_freed_memory() {
    // SAFETY: malloc_trim only returns free pages of the allocator's heaps to the system;
    // it is thread-safe and touches no memory in use.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub(crate) fn release_freed_memory() {}
