//! Throwaway VictoriaMetrics instances: a real server that accepts InfluxDB 2's
//! `POST /api/v2/write` (Debian's `victoria-metrics` package; install it with
//! `scripts/install-victoria-metrics.sh`).
//!
//! It is lossy, so use it for what it can prove (batching, gzip, retries across
//! a kill and restart, counts and numeric values) and nothing else. Found on
//! 1.79.5 (the lossiness test in `tests/victoria.rs` pins each point):
//! - every field becomes its own series `<measurement>_<field>`, tags become labels;
//! - timestamps are kept in milliseconds (sub-millisecond digits are cut);
//! - values are float64 rounded to about 15 significant digits; string fields
//!   are stored as `0`, booleans as `0`/`1`;
//! - a malformed line is dropped silently: the answer is still `204`.
//!
//! Reading back needs `/internal/force_flush` first: samples are buffered for
//! about a second before a search sees them ([`VictoriaMetrics::export`] does it).
//! A flush does not make them durable: acknowledged and flushed samples were
//! gone after a SIGKILL and restart. [`VictoriaMetrics::persist`] writes them to
//! disk (by creating, then deleting, a snapshot); [`VictoriaMetrics::stop`]
//! (SIGTERM) persists too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{free_tcp_port, http, spawn_watched, try_http, unique_suffix};

/// One running (or stopped) VictoriaMetrics.
pub struct VictoriaMetrics {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    /// The instance's temp dir (data, log).
    pub dir: PathBuf,
    port: u16,
    proc: Mutex<Option<(Child, ChildStdin)>>,
}

/// One exported series: its labels (`__name__` is `<measurement>_<field>`) and samples.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub labels: BTreeMap<String, String>,
    pub values: Vec<f64>,
    /// Milliseconds since the epoch.
    pub timestamps: Vec<i64>,
}

impl VictoriaMetrics {
    /// Starts an instance on a free loopback port with a temp data dir; it stops when dropped.
    pub fn start() -> VictoriaMetrics {
        let dir = std::env::temp_dir().join(format!("influx-test-{}-vm{}", std::process::id(), unique_suffix()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        let port = free_tcp_port();
        let vm = VictoriaMetrics { url: format!("http://127.0.0.1:{port}"), dir, port, proc: Mutex::new(None) };
        vm.spawn();
        vm
    }

    /// Stops the server abruptly (SIGKILL), keeping its data for [`VictoriaMetrics::restart`].
    pub fn kill(&self) {
        self.stop_with("kill9");
    }

    /// Stops the server gracefully (SIGTERM), keeping its data.
    pub fn stop(&self) {
        self.stop_with("term");
    }

    /// Starts the server again on the same port with the same data.
    pub fn restart(&self) {
        self.spawn();
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("vm.log")).unwrap_or_default()
    }

    /// Makes everything written so far visible to searches (and persisted).
    pub fn flush(&self) {
        let (status, body) = http(&self.url, "GET", "/internal/force_flush", None, "", b"");
        assert_eq!(status, 200, "force_flush: {body}");
    }

    /// Makes everything written so far durable, so that it survives [`VictoriaMetrics::kill`].
    pub fn persist(&self) {
        let (status, body) = http(&self.url, "GET", "/snapshot/create", None, "", b"");
        assert!(status == 200 && body.contains("\"ok\""), "snapshot/create: {status} {body}");
        let (status, body) = http(&self.url, "GET", "/snapshot/delete_all", None, "", b"");
        assert_eq!(status, 200, "snapshot/delete_all: {body}");
    }

    /// Every series whose name matches the regex `name_re`, flushed first, sorted by labels.
    pub fn export(&self, name_re: &str) -> Vec<Series> {
        self.export_selector(&format!("{{__name__=~\"{name_re}\"}}"))
    }

    /// Every series matching a series selector (`{__name__="m_v",host="a"}`), flushed first.
    pub fn export_selector(&self, selector: &str) -> Vec<Series> {
        self.flush();
        let path = format!("/api/v1/export?match[]={}", super::form_encode(selector));
        let (status, body) = http(&self.url, "GET", &path, None, "", b"");
        assert_eq!(status, 200, "export: {body}");
        let mut out: Vec<Series> = body
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("export line {l:?}: {e}"));
                let labels = v["metric"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                    .collect();
                let values = v["values"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
                let timestamps = v["timestamps"].as_array().unwrap().iter().map(|x| x.as_i64().unwrap()).collect();
                Series { labels, values, timestamps }
            })
            .collect();
        out.sort_by(|a, b| a.labels.cmp(&b.labels));
        out
    }

    /// `(count, sum)` of all samples of series named exactly `name`.
    pub fn count_sum(&self, name: &str) -> (usize, f64) {
        let series = self.export_selector(&format!("{{__name__=\"{name}\"}}"));
        let values = series.iter().flat_map(|s| s.values.iter().copied());
        values.fold((0, 0.0), |(n, s), v| (n + 1, s + v))
    }

    fn stop_with(&self, how: &str) {
        if let Some((mut child, mut stdin)) = self.proc.lock().unwrap().take() {
            use std::io::Write;
            let _ = writeln!(stdin, "{how}");
            drop(stdin);
            let _ = child.wait();
        }
    }

    fn spawn(&self) {
        let args = [
            format!("-httpListenAddr=127.0.0.1:{}", self.port),
            format!("-storageDataPath={}", self.dir.join("data").display()),
            // The default retention (1 month) would silently drop the tests' fixed timestamps.
            "-retentionPeriod=100y".to_owned(),
        ];
        let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
        *self.proc.lock().unwrap() = Some(spawn_watched(&vm_path(), &args, &self.dir.join("vm.log")));
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if matches!(try_http(&self.url, "GET", "/health", None, "", b""), Ok((200, _))) {
                return;
            }
            if let Some((child, _)) = self.proc.lock().unwrap().as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    panic!("victoria-metrics exited with {status} before answering /health; its log:\n{}", self.log());
                }
            }
            assert!(
                Instant::now() < deadline,
                "victoria-metrics did not answer /health within 60 s; its log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for VictoriaMetrics {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn vm_path() -> PathBuf {
    if let Ok(p) = std::env::var("VICTORIA_METRICS") {
        return PathBuf::from(p);
    }
    for p in ["/usr/bin/victoria-metrics", "/usr/local/bin/victoria-metrics"] {
        if Path::new(p).exists() {
            return PathBuf::from(p);
        }
    }
    panic!(
        "victoria-metrics not found: install it with scripts/install-victoria-metrics.sh \
         (`apt-get install -y victoria-metrics`), or set VICTORIA_METRICS"
    )
}
