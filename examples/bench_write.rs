//! Writes 1,000,000 points to a throwaway influxd on loopback four ways and
//! prints points/s and CPU time (ours via getrusage, the server's via
//! /proc/<pid>/stat):
//!
//! 1. the server's ceiling: pre-encoded 5,000-point bodies posted one at a time,
//! 2. the same with 4 requests in flight,
//! 3. `influx::writer` (typed points, batch 5,000, 4 in flight),
//! 4. the `influxdb` crate, `WriteQuery` batches of 5,000, one at a time.
//!
//! Runs 2 and 3, the two the goal compares, alternate for `ROUNDS` rounds
//! (default 3, each into fresh databases) and are summed: on a shared machine the
//! server's speed drifts by tens of percent within a minute, and alternating
//! spreads the drift over both instead of letting it decide the ratio.
//!
//! Run: `cargo run --release --example bench_write` (it starts its own influxd;
//! set `POINTS` to change the count, `ROUNDS` the rounds).
//!
//! `MODE=cluster` starts three influxd instead and compares, in alternating
//! rounds, the writer to one node, the load-balanced writer over three
//! (`ClientBuilder::urls`) and the replicated writer to all three
//! (`WriterOptions::replicate`): throughput of the balanced writer against
//! one node, and the replicated writer's client CPU per point against the
//! single-node writer's (docs/cluster.md).
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

fn start_influxd(index: usize) -> Influxd {
    let dir = std::env::temp_dir().join(format!("influx-bench-{}-{index}", std::process::id()));
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

#[derive(Default)]
struct Run {
    name: &'static str,
    points: usize,
    secs: f64,
    ours: f64,
    server: f64,
}

impl Run {
    fn add(&mut self, other: Run) {
        self.points += other.points;
        self.secs += other.secs;
        self.ours += other.ours;
        self.server += other.server;
    }
    fn rate(&self) -> f64 {
        self.points as f64 / self.secs
    }
    fn cpu_ratio(&self) -> f64 {
        self.ours / self.server
    }
}

async fn measure<F: std::future::Future<Output = ()>>(name: &'static str, points: usize, pid: u32, f: F) -> Run {
    measure_all(name, points, &[pid], f).await
}

/// [`measure`] with the CPU of several servers added up.
async fn measure_all<F: std::future::Future<Output = ()>>(
    name: &'static str,
    points: usize,
    pids: &[u32],
    f: F,
) -> Run {
    let servers = || pids.iter().map(|&p| proc_cpu(p)).sum::<f64>();
    let (c0, s0, t0) = (self_cpu(), servers(), Instant::now());
    f.await;
    let secs = t0.elapsed().as_secs_f64();
    Run { name, points, secs, ours: self_cpu() - c0, server: servers() - s0 }
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

async fn ceiling(url: &str, db: &str, bodies: &[Body], in_flight: usize) {
    let c = Client::new(url, db).unwrap();
    futures::stream::iter(bodies.iter().cloned())
        .map(|b| {
            let c = c.clone();
            async move { c.write_lp(b, &influx::WriteOptions::new()).await.unwrap() }
        })
        .buffer_unordered(in_flight)
        .collect::<Vec<()>>()
        .await;
}

async fn writer(url: &str, db: &str, n: usize) {
    let c = Client::new(url, db).unwrap();
    write_points(&c, WriterOptions::new().batch_size(BATCH).max_in_flight(4), n).await;
}

async fn write_points(c: &Client, opts: WriterOptions, n: usize) {
    let w = c.writer::<Cpu>(opts).unwrap();
    let mut chunk = Vec::with_capacity(BATCH);
    for start in (0..n).step_by(BATCH) {
        chunk.clear();
        chunk.extend((start..(start + BATCH).min(n)).map(point));
        w.write_all(&chunk).await.unwrap();
    }
    let report = w.close().await.unwrap();
    assert!(report.is_complete(), "{report:?}");
}

async fn influxdb_crate(url: &str, db: &str, n: usize) {
    let c = influxdb::Client::new(url, db);
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
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    let n = env_or("POINTS", 1_000_000);
    let rounds = env_or("ROUNDS", 3).max(1);
    if std::env::var("MODE").is_ok_and(|m| m == "cluster") {
        return cluster(n, rounds);
    }
    let server = start_influxd(0);
    let pid = server.child.id();
    let url = server.url.clone();
    let mut dbs = vec!["ceiling1".to_owned(), "influxdb_crate".to_owned()];
    for r in 0..rounds {
        dbs.push(format!("ceiling4_{r}"));
        dbs.push(format!("writer_{r}"));
    }
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let (runs, per_round) = rt.block_on(async {
        let admin = Client::new(&url, "x").unwrap();
        for db in &dbs {
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

        let ceiling1 =
            measure("server ceiling, 1 request at a time", n, pid, ceiling(&url, "ceiling1", &bodies, 1)).await;
        let mut ceiling4 = Run { name: "server ceiling, 4 requests in flight", ..Run::default() };
        let mut ours = Run { name: "influx::writer (batch 5000, 4 in flight)", ..Run::default() };
        let mut per_round = Vec::new();
        for r in 0..rounds {
            let (c_db, w_db) = (format!("ceiling4_{r}"), format!("writer_{r}"));
            let (c, w) = if r % 2 == 0 {
                let c = measure("", n, pid, ceiling(&url, &c_db, &bodies, 4)).await;
                (c, measure("", n, pid, writer(&url, &w_db, n)).await)
            } else {
                let w = measure("", n, pid, writer(&url, &w_db, n)).await;
                (measure("", n, pid, ceiling(&url, &c_db, &bodies, 4)).await, w)
            };
            per_round.push((w.rate() / c.rate(), w.cpu_ratio()));
            ceiling4.add(c);
            ours.add(w);
        }
        drop(bodies);
        let crate_run =
            measure("influxdb crate 0.8 (batch 5000)", n, pid, influxdb_crate(&url, "influxdb_crate", n)).await;
        (vec![ceiling1, ceiling4, ours, crate_run], per_round)
    });
    for db in &dbs {
        assert_eq!(count(&url, db), n as i64, "{db} did not store every point");
    }
    println!("{n} points per run, batches of {BATCH}, influxd {url} on loopback, {rounds} alternating rounds of runs 2 and 3\n");
    println!("| run | points/s | client CPU s | influxd CPU s | client CPU / influxd CPU |");
    println!("|---|---:|---:|---:|---:|");
    for r in &runs {
        println!("| {} | {:.0} | {:.2} | {:.2} | {:.1}% |", r.name, r.rate(), r.ours, r.server, 100.0 * r.cpu_ratio());
    }
    let rate = |i: usize| runs[i].rate();
    println!(
        "\nwriter / ceiling(4 in flight) = {:.0}%, writer / ceiling(1) = {:.0}%, writer / influxdb crate = {:.2}x",
        100.0 * rate(2) / rate(1),
        100.0 * rate(2) / rate(0),
        rate(2) / rate(3)
    );
    let rounds: Vec<String> =
        per_round.iter().map(|(speed, cpu)| format!("{:.0}% / {:.1}%", 100.0 * speed, 100.0 * cpu)).collect();
    println!("per round, writer vs ceiling(4) / writer CPU vs influxd: {}", rounds.join(", "));
}

/// `MODE=cluster`: one node vs three balanced vs three replicated.
fn cluster(n: usize, rounds: usize) {
    let servers: Vec<Influxd> = (0..3).map(start_influxd).collect();
    let pids: Vec<u32> = servers.iter().map(|s| s.child.id()).collect();
    let urls: Vec<String> = servers.iter().map(|s| s.url.clone()).collect();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let mut single = Run { name: "writer, 1 node (4 in flight)", ..Run::default() };
    let mut balanced = Run { name: "writer, 3 nodes balanced (6 in flight)", ..Run::default() };
    let mut replicated = Run { name: "writer, 3 nodes replicated (4 in flight per node)", ..Run::default() };
    let mut per_round = Vec::new();
    rt.block_on(async {
        for r in 0..rounds {
            for u in &urls {
                let admin = Client::new(u, "x").unwrap();
                for db in ["one", "lb", "rep"] {
                    admin.query(format!("CREATE DATABASE {db}_{r}")).await.unwrap();
                }
            }
            let one = Client::new(&urls[0], format!("one_{r}")).unwrap();
            let lb = influx::ClientBuilder::new().urls(&urls).database(format!("lb_{r}")).build().unwrap();
            let rep = influx::ClientBuilder::new().urls(&urls).database(format!("rep_{r}")).build().unwrap();
            let opts = || WriterOptions::new().batch_size(BATCH);
            let mut runs: Vec<(usize, Run)> = Vec::new();
            // Each round starts with another of the three, so drift is spread.
            for k in 0..3 {
                let which = (k + r) % 3;
                let run = match which {
                    0 => measure_all("", n, &pids, write_points(&one, opts().max_in_flight(4), n)).await,
                    1 => measure_all("", n, &pids, write_points(&lb, opts().max_in_flight(6), n)).await,
                    // A queue as long as the run: the three servers share two cores and
                    // run at different speeds, so with the default queue the slower ones
                    // fall behind the fastest and drop their oldest points (docs/cluster.md).
                    _ => {
                        let opts = opts().max_in_flight(4).replicate(true).node_queue(n);
                        measure_all("", n, &pids, write_points(&rep, opts, n)).await
                    }
                };
                runs.push((which, run));
            }
            runs.sort_by_key(|(w, _)| *w);
            let mut it = runs.into_iter().map(|(_, run)| run);
            let (o, b, p) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap());
            per_round.push((b.rate() / o.rate(), (p.ours / p.points as f64) / (o.ours / o.points as f64)));
            single.add(o);
            balanced.add(b);
            replicated.add(p);
        }
    });
    for r in 0..rounds {
        assert_eq!(count(&urls[0], &format!("one_{r}")), n as i64, "one node");
        let spread: i64 = urls.iter().map(|u| count(u, &format!("lb_{r}"))).sum();
        assert_eq!(spread, n as i64, "balanced: every point on exactly one node");
        for u in &urls {
            assert_eq!(count(u, &format!("rep_{r}")), n as i64, "replicated: every point on {u}");
        }
    }
    println!("{n} points per run, batches of {BATCH}, 3 influxd on loopback (one machine, 2 cores), {rounds} rounds\n");
    println!("| run | points/s | client CPU s | client CPU µs/point | influxd CPU s (all) |");
    println!("|---|---:|---:|---:|---:|");
    for r in [&single, &balanced, &replicated] {
        let per_point = 1e6 * r.ours / r.points as f64;
        println!("| {} | {:.0} | {:.2} | {:.2} | {:.2} |", r.name, r.rate(), r.ours, per_point, r.server);
    }
    let cpu_pp = |r: &Run| r.ours / r.points as f64;
    println!(
        "\nbalanced / one node throughput = {:.2}x; replicated / one node client CPU per point = {:.2}x",
        balanced.rate() / single.rate(),
        cpu_pp(&replicated) / cpu_pp(&single)
    );
    let rounds: Vec<String> = per_round.iter().map(|(t, c)| format!("{t:.2}x / {c:.2}x")).collect();
    println!("per round (throughput ratio / CPU ratio): {}", rounds.join(", "));
}
