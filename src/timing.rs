//! Stage timings for profiling: with `KIJUN_TIMINGS=1` in the environment, each timed stage
//! prints its wall time, and the CPU time the whole process used meanwhile (Linux), to stderr
//! when it ends, with the memory resident then. Stages that run side by side overlap.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("KIJUN_TIMINGS").is_some_and(|v| !v.is_empty()))
}

/// Prints `name` and its duration when dropped (if timings are on).
pub struct Timer {
    name: &'static str,
    started: Instant,
    cpu: Option<f64>,
}

pub fn start(name: &'static str) -> Option<Timer> {
    enabled().then(|| Timer {
        name,
        started: Instant::now(),
        cpu: process_cpu_seconds(),
    })
}

impl Drop for Timer {
    fn drop(&mut self) {
        let cpu = match (self.cpu, process_cpu_seconds()) {
            (Some(a), Some(b)) => format!("{:>8.0} ms CPU", (b - a) * 1000.0),
            _ => String::new(),
        };
        let rss = resident_mib()
            .map(|m| format!("{m:>6} MiB resident"))
            .unwrap_or_default();
        eprintln!(
            "timing: {:<28} {:>8.1} ms wall {cpu} {rss}",
            self.name,
            self.started.elapsed().as_secs_f64() * 1000.0
        );
    }
}

/// Memory resident now (VmRSS), from /proc/self/status.
fn resident_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// User + system time of this process so far, from /proc/self/stat (in clock ticks, assumed
/// to be 1/100 s as on every Linux kernel configuration in use).
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // the fields after the command name, which is in parentheses and may hold spaces
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}
