//! A real server that speaks InfluxDB 2's `POST /api/v2/write`: VictoriaMetrics
//! (tests/support/victoria.rs). These tests prove the support works and pin the
//! server's lossiness, so that tests built on it claim only what it can show.
use crate::support;

use std::io::Write;

use support::victoria::VictoriaMetrics;

const WRITE: &str = "/api/v2/write?org=my-org&bucket=my-bucket&precision=ns";
const BASE_MS: i64 = 1_700_000_000_000;

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn write(vm: &VictoriaMetrics, headers: &[(&str, &str)], body: &[u8]) {
    let (status, text) = support::http_headers(&vm.url, "POST", WRITE, headers, body);
    assert_eq!(status, 204, "{text}");
}

/// `n` points per host, `v` = i (integer field), `f` = i / 4 (exact in binary and in 15 digits).
fn batch(measurement: &str, hosts: &[&str], n: i64) -> String {
    let mut lp = String::new();
    for host in hosts {
        for i in 0..n {
            let ns = (BASE_MS + i) * 1_000_000;
            lp += &format!("{measurement},host={host} v={i}i,f={} {ns}\n", i as f64 / 4.0);
        }
    }
    lp
}

#[track_caller]
fn assert_series(vm: &VictoriaMetrics, name: &str, hosts: &[&str], n: i64, scale: f64) {
    let series = vm.export(name);
    let got_hosts: Vec<&str> = series.iter().map(|s| s.labels["host"].as_str()).collect();
    assert_eq!(got_hosts, hosts, "{series:?}");
    for s in &series {
        assert_eq!(s.labels["__name__"], name);
        let mut samples: Vec<(i64, f64)> = s.timestamps.iter().copied().zip(s.values.iter().copied()).collect();
        samples.sort_by_key(|p| p.0);
        let want: Vec<(i64, f64)> = (0..n).map(|i| (BASE_MS + i, i as f64 * scale)).collect();
        // Bit-exact: every value here is a short binary fraction the server keeps unchanged.
        let bits = |v: &[(i64, f64)]| v.iter().map(|(t, x)| (*t, x.to_bits())).collect::<Vec<_>>();
        assert_eq!(bits(&samples), bits(&want), "{name} {:?}", s.labels);
    }
}

#[test]
fn v2_write_counts_and_numeric_values_read_back_exactly() {
    let vm = VictoriaMetrics::start();
    let hosts = ["a", "b", "c"];
    write(
        &vm,
        &[("Authorization", "Token t"), ("Content-Type", "text/plain; charset=utf-8")],
        batch("m", &hosts, 500).as_bytes(),
    );
    assert_series(&vm, "m_v", &hosts, 500, 1.0);
    assert_series(&vm, "m_f", &hosts, 500, 0.25);
    assert_eq!(vm.count_sum("m_v"), (1500, 3.0 * (0..500).sum::<i64>() as f64));
}

#[test]
fn v2_write_gzip_body() {
    let vm = VictoriaMetrics::start();
    let body = gzip(batch("g", &["a"], 300).as_bytes());
    write(&vm, &[("Content-Encoding", "gzip"), ("Content-Type", "text/plain; charset=utf-8")], &body);
    assert_series(&vm, "g_v", &["a"], 300, 1.0);
}

#[test]
fn data_survives_a_kill_and_restart() {
    let vm = VictoriaMetrics::start();
    write(&vm, &[], batch("k", &["a"], 100).as_bytes());
    vm.persist();
    vm.kill();
    vm.restart();
    assert_series(&vm, "k_v", &["a"], 100, 1.0);
    // And it takes writes again after the restart.
    write(&vm, &[], batch("k2", &["a"], 10).as_bytes());
    assert_series(&vm, "k2_v", &["a"], 10, 1.0);
    // A graceful stop persists by itself.
    vm.stop();
    vm.restart();
    assert_series(&vm, "k2_v", &["a"], 10, 1.0);
}

/// What the server alters or drops: tests on it must not claim these.
#[test]
fn lossiness_is_pinned() {
    let vm = VictoriaMetrics::start();
    let ns = 1_700_000_000_123_456_789_i64;
    let body = format!(
        "l s=\"text\",b=true,x=0.30000000000000004 {ns}\n\
         this line is not line protocol\n\
         l y=1 {}\n\
         l y=2 {}\n",
        ns + 1,
        ns + 2
    );
    // A malformed line still gets 204; the good lines are written.
    write(&vm, &[], body.as_bytes());
    let one = |name: &str| {
        let s = vm.export(name);
        assert_eq!(s.len(), 1, "{name}: {s:?}");
        s.into_iter().next().unwrap()
    };
    // Strings become 0, booleans 1, and float64 values are rounded to ~15 significant digits.
    assert_eq!(one("l_s").values, [0.0]);
    assert_eq!(one("l_b").values, [1.0]);
    assert_eq!(one("l_x").values, [0.3]);
    assert_ne!(0.3_f64.to_bits(), 0.30000000000000004_f64.to_bits());
    // Timestamps keep milliseconds only; two points in the same millisecond are both kept.
    let y = one("l_y");
    assert_eq!(y.timestamps, [ns / 1_000_000, ns / 1_000_000]);
    let mut values = y.values.clone();
    values.sort_by(f64::total_cmp);
    assert_eq!(values, [1.0, 2.0]);
    // Nothing from the malformed line.
    assert!(vm.export("this.*").is_empty());
}

/// The library's 2.x client and batching writer against a real `/api/v2/write`:
/// derived points in batches, gzip, and retries while the server is down.
///
/// The server is stopped gracefully, not killed: VictoriaMetrics loses samples it
/// acknowledged but had not persisted when it is killed (see `docs/testing.md`),
/// which would be its loss, not the writer's. The outage is what the writer sees
/// either way: refused connections until the server is back.
#[derive(influx::InfluxPoint)]
#[influx(measurement = "w")]
struct Sample {
    #[tag]
    host: &'static str,
    v: i64,
    f: f64,
    #[time]
    time: i64,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v2_writer_batches_gzips_and_retries_across_a_restart() {
    use influx::writer::WriterOptions;
    use std::time::Duration;

    let vm = VictoriaMetrics::start();
    let client =
        influx::v2::Client::builder(&vm.url).org("acme").bucket("metrics").token("t").gzip(true).build().unwrap();
    let writer = client
        .writer::<Sample>(
            WriterOptions::new()
                .batch_size(1_000)
                .flush_interval(Duration::from_millis(50))
                .retry_interval(Duration::from_millis(100))
                .max_retry_delay(Duration::from_millis(400))
                .max_retries(100),
        )
        .unwrap();
    const N: i64 = 20_000;
    let hosts = ["a", "b"];
    for i in 0..N {
        if i == N / 2 {
            // Everything so far has been handed over; take the server away mid-stream.
            writer.flush().await.unwrap();
            vm.stop();
            for j in i..i + 3_000 {
                let s =
                    Sample { host: hosts[(j % 2) as usize], v: j, f: j as f64 / 4.0, time: (BASE_MS + j) * 1_000_000 };
                writer.write(&s).await.unwrap();
            }
            tokio::time::sleep(Duration::from_millis(800)).await;
            vm.restart();
            continue;
        }
        if (N / 2..N / 2 + 3_000).contains(&i) {
            continue;
        }
        let s = Sample { host: hosts[(i % 2) as usize], v: i, f: i as f64 / 4.0, time: (BASE_MS + i) * 1_000_000 };
        writer.write(&s).await.unwrap();
    }
    let report = writer.close().await.unwrap();
    assert!(report.is_complete(), "{:?}", report.stats);
    assert_eq!(report.stats.written, N as u64);
    assert!(report.stats.retries > 0, "the outage was seen: {:?}", report.stats);
    // Every point, exactly once, with its values bit for bit.
    let (count, sum) = vm.count_sum("w_v");
    assert_eq!((count, sum), (N as usize, (0..N).sum::<i64>() as f64));
    for (k, host) in hosts.iter().enumerate() {
        let series = vm.export_selector(&format!("{{__name__=\"w_f\",host=\"{host}\"}}"));
        assert_eq!(series.len(), 1);
        let mut got: Vec<(i64, u64)> =
            series[0].timestamps.iter().zip(&series[0].values).map(|(t, v)| (*t, v.to_bits())).collect();
        got.sort_unstable();
        let want: Vec<(i64, u64)> =
            (0..N).filter(|i| (i % 2) as usize == k).map(|i| (BASE_MS + i, (i as f64 / 4.0).to_bits())).collect();
        assert_eq!(got, want, "host {host}");
    }
}
