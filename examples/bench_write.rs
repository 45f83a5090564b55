//! Writes 1,000,000 points to a throwaway influxd on loopback four ways and
//! prints points/s and CPU time (ours via getrusage, the server's via
//! /proc/<pid>/stat):
//!
//! 1. the server's ceiling: pre-encoded 5,000-point bodies posted one at a time,
//! 2. the same with 4 requests in flight,
//! 3. `influx::writer` (typed points, batch 5,000, 4 in flight),
//! 4. the `influxdb` crate, `WriteQuery` batches of 5,000, one at a time.
//!
//! Run: `cargo run --release --example bench_write` (it starts its own influxd;
//! set `POINTS` to change the count).
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures::StreamExt;
use influx::writer::WriterOptions;
use influx::{Client, Encoder, InfluxPoint, WritePoint};

const BATCH: usize = 5_000;
const T0: i64 = 1_700_000_000_000_000_000;

/// The points written: a typed struct, as users write them.
#[derive(InfluxPoint)]
#[influx(measurement = "cpu")]
struct Cpu {
    #[tag]
    host: &'static str,
    #[tag]
    region: &'static str,
    usage: f64,
    idle: i64,
    #[time]
    time: i64,
}

static HOSTS: [&str; 100] = {
    // 100 host names without allocating at run time.
    const fn host(i: usize) -> &'static str {
        const NAMES: [&str; 100] = [
            "h00", "h01", "h02", "h03", "h04", "h05", "h06", "h07", "h08", "h09", "h10", "h11", "h12", "h13", "h14",
            "h15", "h16", "h17", "h18", "h19", "h20", "h21", "h22", "h23", "h24", "h25", "h26", "h27", "h28", "h29",
            "h30", "h31", "h32", "h33", "h34", "h35", "h36", "h37", "h38", "h39", "h40", "h41", "h42", "h43", "h44",
            "h45", "h46", "h47", "h48", "h49", "h50", "h51", "h52", "h53", "h54", "h55", "h56", "h57", "h58", "h59",
            "h60", "h61", "h62", "h63", "h64", "h65", "h66", "h67", "h68", "h69", "h70", "h71", "h72", "h73", "h74",
            "h75", "h76", "h77", "h78", "h79", "h80", "h81", "h82", "h83", "h84", "h85", "h86", "h87", "h88", "h89",
            "h90", "h91", "h92", "h93", "h94", "h95", "h96", "h97", "h98", "h99",
        ];
        NAMES[i]
    }
    let mut out = [""; 100];
    let mut i = 0;
    while i < 100 {
        out[i] = host(i);
        i += 1;
    }
    out
};
static REGIONS: [&str; 4] = ["eu", "us", "ap", "sa"];

fn point(i: usize) -> Cpu {
    Cpu {
        host: HOSTS[i % 100],
        region: REGIONS[i % 4],
        usage: (i % 1000) as f64 / 10.0,
        idle: i as i64,
        time: T0 + i as i64 * 1_000,
    }
}

/// A pre-encoded body, cheap to clone.
#[derive(Clone)]
struct Body(std::sync::Arc<[u8]>);

impl AsRef<[u8]> for Body {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

struct Influxd {
    child: Child,
    url: String,
    dir: std::path::PathBuf,
}

impl Drop for Influxd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start_influxd() -> Influxd {
    let dir = std::env::temp_dir().join(format!("influx-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (http, rpc) = (free_port(), free_port());
    let d = dir.display();
    let conf = format!(
        "reporting-disabled = true\nbind-address = \"127.0.0.1:{rpc}\"\n[meta]\n  dir = \"{d}/meta\"\n  logging-enabled = false\n\
         [data]\n  dir = \"{d}/data\"\n  wal-dir = \"{d}/wal\"\n  query-log-enabled = false\n\
         [monitor]\n  store-enabled = false\n[logging]\n  level = \"warn\"\n\
         [http]\n  bind-address = \"127.0.0.1:{http}\"\n  log-enabled = false\n"
    );
    std::fs::write(dir.join("influxd.conf"), conf).unwrap();
    let child = Command::new("influxd")
        .arg("-config")
        .arg(dir.join("influxd.conf"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("influxd not found: apt-get install -y influxdb");
    let url = format!("http://127.0.0.1:{http}");
    let until = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", http)).is_err() {
        assert!(Instant::now() < until, "influxd did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    Influxd { child, url, dir }
}

/// CPU seconds (user + system) of a process, from /proc/<pid>/stat.
fn proc_cpu(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    // Fields 14 and 15 of stat; `rest` starts at field 3.
    let ticks: u64 = f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap();
    ticks as f64 / unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64
}

fn self_cpu() -> f64 {
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(u.ru_utime) + tv(u.ru_stime)
}

struct Run {
    name: &'static str,
    secs: f64,
    ours: f64,
    server: f64,
}

async fn measure<F: std::future::Future<Output = ()>>(name: &'static str, pid: u32, f: F) -> Run {
    let (c0, s0, t0) = (self_cpu(), proc_cpu(pid), Instant::now());
    f.await;
    let secs = t0.elapsed().as_secs_f64();
    Run { name, secs, ours: self_cpu() - c0, server: proc_cpu(pid) - s0 }
}

fn count(url: &str, db: &str) -> i64 {
    let out = Command::new("curl")
        .args(["-s", "-XPOST", &format!("{url}/query"), "--data-urlencode"])
        .arg(format!("q=SELECT count(idle) FROM \"{db}\"..cpu"))
        .output()
        .expect("curl");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["results"][0]["series"][0]["values"][0][1].as_i64().unwrap_or(0)
}

fn main() {
    let n: usize = std::env::var("POINTS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let server = start_influxd();
    let pid = server.child.id();
    let url = server.url.clone();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let runs = rt.block_on(async {
        let admin = Client::new(&url, "x").unwrap();
        for db in ["ceiling1", "ceiling4", "writer", "influxdb_crate"] {
            admin.query(format!("CREATE DATABASE {db}")).await.unwrap();
        }
        // Pre-encoded bodies for the ceiling (encoding not timed).
        let bodies: Vec<Body> = (0..n)
            .step_by(BATCH)
            .map(|start| {
                let mut body = Vec::new();
                let opts = influx::EncodeOptions::default();
                for i in start..(start + BATCH).min(n) {
                    if i > start {
                        body.push(b'\n');
                    }
                    point(i).write_point(&mut Encoder::new(&mut body, &opts)).unwrap();
                }
                Body(body.into())
            })
            .collect();
        let mut runs = Vec::new();

        let c = Client::new(&url, "ceiling1").unwrap();
        runs.push(
            measure("server ceiling, 1 request at a time", pid, async {
                for b in &bodies {
                    c.write_lp(b.clone(), &influx::WriteOptions::new()).await.unwrap();
                }
            })
            .await,
        );
        let c = Client::new(&url, "ceiling4").unwrap();
        runs.push(
            measure("server ceiling, 4 requests in flight", pid, async {
                futures::stream::iter(bodies.iter().cloned())
                    .map(|b| {
                        let c = c.clone();
                        async move { c.write_lp(b, &influx::WriteOptions::new()).await.unwrap() }
                    })
                    .buffer_unordered(4)
                    .collect::<Vec<()>>()
                    .await;
            })
            .await,
        );
        drop(bodies);

        if std::env::var_os("WRITER_ONLY").is_some() {
            let c = Client::new(&url, "writer").unwrap();
            let w = c.writer::<Cpu>(WriterOptions::new().batch_size(BATCH).max_in_flight(4)).unwrap();
            let t = (self_cpu(), Instant::now());
            let mut chunk = Vec::with_capacity(BATCH);
            for start in (0..n).step_by(BATCH) {
                chunk.clear();
                chunk.extend((start..(start + BATCH).min(n)).map(point));
                w.write_all(&chunk).await.unwrap();
            }
            w.close().await.unwrap();
            println!("writer only: {:.3} s CPU, {:.3} s wall", self_cpu() - t.0, t.1.elapsed().as_secs_f64());
            std::process::exit(0);
        }
        let c = Client::new(&url, "writer").unwrap();
        runs.push(
            measure("influx::writer (batch 5000, 4 in flight)", pid, async {
                let w = c.writer::<Cpu>(WriterOptions::new().batch_size(BATCH).max_in_flight(4)).unwrap();
                let mut chunk = Vec::with_capacity(BATCH);
                for start in (0..n).step_by(BATCH) {
                    chunk.clear();
                    chunk.extend((start..(start + BATCH).min(n)).map(point));
                    w.write_all(&chunk).await.unwrap();
                }
                let report = w.close().await.unwrap();
                assert!(report.is_complete(), "{report:?}");
            })
            .await,
        );

        let c = influxdb::Client::new(&url, "influxdb_crate");
        runs.push(
            measure("influxdb crate 0.8 (batch 5000)", pid, async {
                for start in (0..n).step_by(BATCH) {
                    let batch: Vec<influxdb::WriteQuery> = (start..(start + BATCH).min(n))
                        .map(|i| {
                            let p = point(i);
                            influxdb::WriteQuery::new(influxdb::Timestamp::Nanoseconds(p.time as u128), "cpu")
                                .add_tag("host", p.host)
                                .add_tag("region", p.region)
                                .add_field("usage", p.usage)
                                .add_field("idle", p.idle)
                        })
                        .collect();
                    c.query(batch).await.unwrap();
                }
            })
            .await,
        );
        runs
    });
    for db in ["ceiling1", "ceiling4", "writer", "influxdb_crate"] {
        assert_eq!(count(&url, db), n as i64, "{db} did not store every point");
    }
    println!("{n} points, batches of {BATCH}, influxd {} on loopback, 2 cores\n", url);
    println!("| run | points/s | client CPU s | influxd CPU s | client CPU / influxd CPU |");
    println!("|---|---:|---:|---:|---:|");
    for r in &runs {
        println!(
            "| {} | {:.0} | {:.2} | {:.2} | {:.1}% |",
            r.name,
            n as f64 / r.secs,
            r.ours,
            r.server,
            100.0 * r.ours / r.server
        );
    }
    let rate = |i: usize| n as f64 / runs[i].secs;
    println!(
        "\nwriter / ceiling(4 in flight) = {:.0}%, writer / ceiling(1) = {:.0}%, writer / influxdb crate = {:.2}x",
        100.0 * rate(2) / rate(1),
        100.0 * rate(2) / rate(0),
        rate(2) / rate(3)
    );
}
