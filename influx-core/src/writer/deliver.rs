//! Sending one sealed batch: retries with backoff, 413 splitting, and turning
//! every answer into written / rejected / failed points.

use std::borrow::Cow;
use std::ops::Range;
use std::time::Instant;

use bytes::Bytes;

use crate::line_protocol::{unescape, Element};
use crate::{Error, ErrorKind};

use super::batch::Batch;
use super::options::WriterOptions;
use super::retry::{self, Jitter, Verdict};
use super::stats::Counters;
use super::target::WriteTarget;

/// Points that did not make it into the database, with the reason.
///
/// For a partial write ([`ErrorKind::PartialWrite`]) the other points of the
/// batch were stored and [`FailedBatch::lines`] holds the lines the server
/// refused, as far as its answer names them. For every other error no point of
/// these lines was stored (or, after a lost answer, it is unknown; with
/// client-side timestamps writing them again is harmless).
///
/// Each line carries [`FailedLine::index`]: the point's position in the order
/// this writer accepted points (0 for the first point ever written to it,
/// counted across all its clones and calls). A caller that keeps its points,
/// or writes them from one collection, gets the value back with it (see
/// [`FailedLine::index`]); the writer itself keeps only the encoded lines.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # async fn f(writer: influx::writer::Writer) -> influx::Result<()> {
/// let report = writer.close().await?;
/// for failed in &report.failed {
///     eprintln!("{} points not written: {}", failed.len(), failed.error());
///     for line in failed.lines() {
///         eprintln!("  {} ({})", line.line, line.reason);
///     }
/// }
/// # Ok(()) }
/// ```
pub struct FailedBatch {
    pub(crate) error: Error,
    pub(crate) lines: Vec<Line>,
    /// How many of its points the counters hold as `failed` (the rest, if
    /// any, were refused by the server and are counted `rejected`).
    pub(crate) failed_points: usize,
    /// In a replicated writer, the node (lane index and URL) these points were for.
    pub(crate) node: Option<(usize, std::sync::Arc<str>)>,
}

/// A line of a failed batch, as the writer keeps it.
pub(crate) struct Line {
    /// The point's index in the order the writer accepted points, when known.
    pub(crate) index: Option<u64>,
    pub(crate) line: Bytes,
    /// The server's reason for this line; `None` means the batch's error.
    pub(crate) reason: Option<String>,
}

/// One line of a [`FailedBatch`].
///
/// ```
/// # extern crate influx_core as influx;
/// # fn f(b: &influx::writer::FailedBatch) {
/// for l in b.lines() { println!("{}: {}", l.line, l.reason); }
/// # }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FailedLine<'a> {
    /// The line of line protocol, as it was sent.
    pub line: Cow<'a, str>,
    /// Why it was not written: the server's reason for this line, or the batch's error.
    pub reason: Cow<'a, str>,
    /// The point's position in the order the writer accepted points (0-based,
    /// across every `write`, `write_all` and `write_line` on the writer and
    /// its clones); `None` when the server named a line the batch does not
    /// hold (1.x echoes lines as text).
    ///
    /// To get a derived struct back, index the points as they were written:
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # #[derive(Clone, Debug)] struct Cpu;
    /// # impl influx::WritePoint for Cpu { fn write_point(&self, _: &mut influx::Encoder<'_>) -> influx::Result<()> { Ok(()) } }
    /// # async fn f(writer: influx::writer::Writer<Cpu>, points: Vec<Cpu>) -> influx::Result<()> {
    /// writer.write_all(&points).await?; // the writer's first points: indices 0..points.len()
    /// let report = writer.close().await?;
    /// for failed in &report.failed {
    ///     for l in failed.lines() {
    ///         let point = l.index.and_then(|i| points.get(i as usize));
    ///         eprintln!("{point:?} not written: {}", l.reason);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub index: Option<u64>,
}

impl FailedBatch {
    /// Why these points were not written.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(b: &influx::writer::FailedBatch) { println!("{:?}", b.error().kind()); }
    /// ```
    pub fn error(&self) -> &Error {
        &self.error
    }

    /// How many lines (points) this report holds.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(b: &influx::writer::FailedBatch) { assert!(b.len() > 0 || b.is_empty()); }
    /// ```
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True if the server's answer named no line (a partial write whose
    /// rejected points could not be matched to lines).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(b: &influx::writer::FailedBatch) { let _ = b.is_empty(); }
    /// ```
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The lines that were not written, each with its reason.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(b: &influx::writer::FailedBatch) { let n = b.lines().count(); assert_eq!(n, b.len()); }
    /// ```
    pub fn lines(&self) -> impl ExactSizeIterator<Item = FailedLine<'_>> {
        self.lines.iter().map(|l| FailedLine {
            line: String::from_utf8_lossy(&l.line),
            reason: match &l.reason {
                Some(r) => Cow::Borrowed(r.as_str()),
                None => Cow::Owned(self.error.server_message().map_or_else(|| self.error.to_string(), str::to_owned)),
            },
            index: l.index,
        })
    }

    /// The lines as one body of line protocol, ready to be written again.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(b: &influx::writer::FailedBatch) { let body: Vec<u8> = b.to_line_protocol(); }
    /// ```
    pub fn to_line_protocol(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, l) in self.lines.iter().enumerate() {
            if i > 0 {
                out.push(b'\n');
            }
            out.extend_from_slice(&l.line);
        }
        out
    }

    /// How many requests were made for these points before giving up (1
    /// when the first answer was final), when the error came from the server
    /// or the network: the official client's `WriteApiError` attempts.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(b: &influx::writer::FailedBatch) { if b.attempts() > Some(1) { eprintln!("retried"); } }
    /// ```
    pub fn attempts(&self) -> Option<u32> {
        self.error.attempts()
    }

    /// The HTTP status of the last answer, if there was one (`None` after a
    /// connect error, a reset or a timeout).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(b: &influx::writer::FailedBatch) { if b.last_status() == Some(503) { eprintln!("server busy"); } }
    /// ```
    pub fn last_status(&self) -> Option<u16> {
        self.error.status()
    }

    /// The node these points were not written to, in a replicated writer
    /// ([`WriterOptions::replicate`](super::WriterOptions::replicate)); `None`
    /// in a writer that sends each batch once.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(b: &influx::writer::FailedBatch) { if let Some(url) = b.node() { eprintln!("not on {url}"); } }
    /// ```
    pub fn node(&self) -> Option<&str> {
        self.node.as_ref().map(|(_, url)| &**url)
    }

    /// Takes the error out.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(b: influx::writer::FailedBatch) -> influx::Error { b.into_error() }
    /// ```
    pub fn into_error(self) -> Error {
        self.error
    }
}

impl std::fmt::Debug for FailedBatch {
    // Lines are data: show how many, not what.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FailedBatch")
            .field("error", &self.error)
            .field("lines", &self.lines.len())
            .field("node", &self.node())
            .finish()
    }
}

/// The lines of a batch one request carries: a contiguous run (sliced, no
/// copy) or, after a partial write, a scattered set (copied, rare).
#[derive(Debug, Clone)]
enum Part {
    Run(Range<usize>),
    Lines(Vec<usize>),
}

impl Part {
    fn len(&self) -> usize {
        match self {
            Part::Run(r) => r.len(),
            Part::Lines(l) => l.len(),
        }
    }

    fn indices(&self) -> Vec<usize> {
        match self {
            Part::Run(r) => r.clone().collect(),
            Part::Lines(l) => l.clone(),
        }
    }

    fn body(&self, batch: &Batch) -> Bytes {
        match self {
            Part::Run(r) => batch.body_of(r.clone()),
            Part::Lines(l) => {
                let mut out = Vec::new();
                for (n, &i) in l.iter().enumerate() {
                    if n > 0 {
                        out.push(b'\n');
                    }
                    out.extend_from_slice(&batch.line(i));
                }
                Bytes::from(out)
            }
        }
    }

    fn halves(self) -> (Part, Part) {
        match self {
            Part::Run(r) => {
                let mid = r.start + r.len() / 2;
                (Part::Run(r.start..mid), Part::Run(mid..r.end))
            }
            Part::Lines(mut l) => {
                let tail = l.split_off(l.len() / 2);
                (Part::Lines(l), Part::Lines(tail))
            }
        }
    }
}

/// The result of one part of a batch, after all its retries.
enum Sent {
    Ok,
    Partial(Error),
    Split(Error),
    Failed(Error),
}

/// What happened to a batch: how many points were written, and what failed.
#[derive(Default)]
pub(crate) struct Delivery {
    pub(crate) written: usize,
    pub(crate) rejected: usize,
    pub(crate) failed: Vec<FailedBatch>,
}

pub(crate) struct Sender<'a> {
    pub(crate) target: &'a dyn WriteTarget,
    pub(crate) opts: &'a WriterOptions,
    pub(crate) counters: &'a Counters,
    pub(crate) abort: &'a Abort,
}

impl Sender<'_> {
    /// Delivers every line of `batch`, splitting on 413, retrying what may succeed.
    pub(crate) async fn deliver(&self, batch: &Batch, jitter: &mut Jitter) -> Delivery {
        let mut out = Delivery::default();
        let mut todo = Vec::with_capacity(8);
        todo.push(Part::Run(0..batch.len()));
        while let Some(part) = todo.pop() {
            if self.abort.is_set() {
                out.failed.push(failed(abort_error(), batch, &part));
                continue;
            }
            match self.send(batch, &part, jitter).await {
                Sent::Ok => out.written += part.len(),
                Sent::Split(error) if part.len() == 1 => {
                    let error = Error::new(
                        ErrorKind::PayloadTooLarge,
                        "a single point is larger than the server's max-body-size",
                    )
                    .with_status(413)
                    .with_server_message(error.server_message().unwrap_or_default().to_owned());
                    out.failed.push(failed(error, batch, &part));
                }
                Sent::Split(_) => {
                    tracing::debug!(points = part.len(), "413 from the server: splitting the batch in halves");
                    let (a, b) = part.halves();
                    todo.push(b);
                    todo.push(a);
                }
                Sent::Partial(answer) if !answer.rejected_lines().is_empty() => {
                    // 3.x names the refused lines by number: the rest was written.
                    let lines = by_number(&answer, batch, &part);
                    let rejected = lines.len();
                    let error = Error::new(
                        ErrorKind::PartialWrite,
                        format!("partial write: the server refused {rejected} of {} points", part.len()),
                    )
                    .with_status(answer.status().unwrap_or(400))
                    .with_server_message(answer.server_message().unwrap_or_default().to_owned())
                    .with_rejected_lines(answer.rejected_lines().to_vec());
                    out.rejected += rejected;
                    out.written += part.len() - rejected;
                    out.failed.push(FailedBatch { error, lines, failed_points: 0, node: None });
                }
                Sent::Partial(answer) => {
                    // The whole message names every refused line; the error keeps a bounded part.
                    let p = partial(answer.full_answer().unwrap_or_default(), batch, &part);
                    let conflicting = p.conflicting.len();
                    // 1.6 names only the type conflict when a body also holds
                    // unparsable lines, which are dropped unreported. Re-sending
                    // the rest overwrites what was stored and names what was not;
                    // only safe when every line has a timestamp.
                    let resend = batch.idempotent && conflicting > 0 && conflicting < part.len();
                    let rejected = if resend { conflicting } else { p.rejected };
                    let error = Error::new(
                        ErrorKind::PartialWrite,
                        format!("partial write: the server refused {rejected} of {} points", part.len()),
                    )
                    .with_status(answer.status().unwrap_or(400))
                    .with_server_message(answer.server_message().unwrap_or_default());
                    out.rejected += rejected;
                    if resend {
                        let rest: Vec<usize> =
                            part.indices().into_iter().filter(|i| !p.conflicting.contains(i)).collect();
                        tracing::debug!(
                            points = rest.len(),
                            "re-sending the rest of a partial write to find hidden errors"
                        );
                        todo.push(Part::Lines(rest));
                    } else {
                        out.written += part.len() - rejected;
                    }
                    out.failed.push(FailedBatch { error, lines: p.lines, failed_points: 0, node: None });
                }
                Sent::Failed(error) if !error.rejected_lines().is_empty() => {
                    // 3.x wrote nothing (accept_partial=false, or a Cloud 400):
                    // the named lines were refused, the others failed with them.
                    let named = by_number(&error, batch, &part);
                    out.rejected += named.len();
                    let indices = part.indices();
                    let lines = indices
                        .iter()
                        .map(|&i| {
                            let index = batch.first + i as u64;
                            match named.iter().position(|l| l.index == Some(index)) {
                                Some(n) => {
                                    Line { index: Some(index), line: batch.line(i), reason: named[n].reason.clone() }
                                }
                                None => Line { index: Some(index), line: batch.line(i), reason: None },
                            }
                        })
                        .collect();
                    let failed_points = part.len() - named.len();
                    out.failed.push(FailedBatch {
                        error: error.without_full_answer(),
                        lines,
                        failed_points,
                        node: None,
                    });
                }
                Sent::Failed(error) => {
                    // A 400 "unable to parse" on every line is the server refusing
                    // all of them, with a reason for each.
                    let unparsable = error.kind() == ErrorKind::BadRequest
                        && error.full_answer().is_some_and(|m| m.starts_with("unable to parse"));
                    // Only the bounded message is kept in the report.
                    if unparsable {
                        let p = partial(error.full_answer().unwrap_or_default(), batch, &part);
                        let lines = part
                            .indices()
                            .into_iter()
                            .map(|i| {
                                let line = batch.line(i);
                                let reason = p.lines.iter().find(|l| l.line == line).and_then(|l| l.reason.clone());
                                Line { index: Some(batch.first + i as u64), line, reason }
                            })
                            .collect();
                        out.rejected += part.len();
                        out.failed.push(FailedBatch {
                            error: error.without_full_answer(),
                            lines,
                            failed_points: 0,
                            node: None,
                        });
                    } else {
                        out.failed.push(failed(error.without_full_answer(), batch, &part));
                    }
                }
            }
        }
        out
    }

    async fn send(&self, batch: &Batch, part: &Part, jitter: &mut Jitter) -> Sent {
        let body = part.body(batch);
        let first = Instant::now();
        let mut attempt: u32 = 0;
        loop {
            Counters::add(&self.counters.requests, 1);
            if attempt > 0 {
                Counters::add(&self.counters.retries, 1);
            }
            // `Bytes` is reference-counted: a retry re-sends the same buffer.
            let write = self.target.write(body.clone(), batch.idempotent);
            let write = async {
                match self.opts.request_timeout {
                    Some(limit) => tokio::time::timeout(limit, write).await.unwrap_or_else(|_| {
                        Err(Error::new(ErrorKind::Timeout, format!("write request timed out after {limit:?}")))
                    }),
                    None => write.await,
                }
            };
            let Some(result) = self.abort.race(write).await else { return Sent::Failed(abort_error()) };
            let error = match result {
                Ok(()) => return Sent::Ok,
                Err(e) => e,
            };
            match retry::classify(&error) {
                Verdict::Partial => return Sent::Partial(error),
                Verdict::Split => return Sent::Split(error),
                Verdict::Permanent => return Sent::Failed(error.with_attempts(attempt + 1)),
                Verdict::Retry => {}
            }
            attempt += 1;
            if attempt > self.opts.max_retries {
                return Sent::Failed(
                    error.context(format_args!("gave up after {attempt} attempts")).with_attempts(attempt),
                );
            }
            let retry_after = error.retry_after();
            let delay = match retry_after {
                Some(d) => d.min(self.opts.max_retry_delay) + jitter.up_to(self.opts.jitter_interval),
                None => retry::backoff(
                    attempt,
                    self.opts.retry_interval,
                    self.opts.exponential_base,
                    self.opts.max_retry_delay,
                    jitter.unit(),
                ),
            };
            if first.elapsed() + delay > self.opts.max_retry_time {
                return Sent::Failed(
                    error
                        .context(format_args!(
                            "gave up after {attempt} attempts: max_retry_time of {:?} reached",
                            self.opts.max_retry_time
                        ))
                        .with_attempts(attempt),
                );
            }
            tracing::warn!(
                points = part.len(),
                attempt,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                retry_after_ms = retry_after.map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
                kind = ?error.kind(),
                error = %error,
                "write failed, retrying"
            );
            if self.abort.race(tokio::time::sleep(delay)).await.is_none() {
                return Sent::Failed(abort_error());
            }
        }
    }
}

fn failed(error: Error, batch: &Batch, part: &Part) -> FailedBatch {
    let lines: Vec<Line> = part
        .indices()
        .into_iter()
        .map(|i| Line { index: Some(batch.first + i as u64), line: batch.line(i), reason: None })
        .collect();
    FailedBatch { error, failed_points: lines.len(), lines, node: None }
}

/// The lines of `part` that a 3.x answer names by their 1-based number in the
/// body that was sent, with the server's reasons. Numbers outside the part
/// (a server bug) are left out rather than guessed.
fn by_number(answer: &Error, batch: &Batch, part: &Part) -> Vec<Line> {
    let indices = part.indices();
    let mut lines: Vec<Line> = Vec::with_capacity(answer.rejected_lines().len());
    for r in answer.rejected_lines() {
        let Some(&i) = r.line.checked_sub(1).and_then(|n| indices.get(n)) else {
            tracing::warn!(line = r.line, points = indices.len(), "the server named a line the request did not have");
            continue;
        };
        let index = Some(batch.first + i as u64);
        if lines.iter().all(|l| l.index != index) {
            lines.push(Line { index, line: batch.line(i), reason: Some(r.message.clone()) });
        }
    }
    lines
}

/// A batch not sent (or not answered) because `close_within` ran out of time.
pub(crate) fn aborted(batch: &Batch) -> Delivery {
    Delivery { failed: vec![failed(abort_error(), batch, &Part::Run(0..batch.len()))], ..Delivery::default() }
}

fn abort_error() -> Error {
    Error::new(
        ErrorKind::Timeout,
        "not written before the close deadline (if a request was in flight, the server may have stored it)",
    )
}

/// Set when `close_within` runs out of time: deliveries stop where they are.
#[derive(Debug, Default)]
pub(crate) struct Abort {
    set: std::sync::atomic::AtomicBool,
    notify: tokio::sync::Notify,
}

impl Abort {
    pub(crate) fn fire(&self) {
        self.set.store(true, std::sync::atomic::Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    pub(crate) fn is_set(&self) -> bool {
        self.set.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Completes once fired.
    async fn fired(&self) {
        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.is_set() {
                return;
            }
            notified.await;
        }
    }

    /// Runs `f` unless fired first.
    async fn race<T>(&self, f: impl std::future::Future<Output = T>) -> Option<T> {
        tokio::select! {
            biased;
            () = self.fired() => None,
            out = f => Some(out),
        }
    }
}

/// What a `partial write` (or all-unparsable 400) answer says about a part.
struct PartialAnswer {
    /// Points refused, by the server's count.
    rejected: usize,
    /// The refused lines the answer lets us name, with their reasons.
    lines: Vec<Line>,
    /// Indices of the lines matching a reported field type conflict.
    conflicting: Vec<usize>,
}

fn partial(message: &str, batch: &Batch, part: &Part) -> PartialAnswer {
    let unparsable = retry::unparsable_lines(message);
    let dropped = usize::try_from(retry::partial_write_dropped(message).unwrap_or(0)).unwrap_or(usize::MAX);
    let rejected = dropped.saturating_add(unparsable.len()).min(part.len());
    let indices = part.indices();
    let mut lines: Vec<Line> = Vec::new();
    for (echoed, reason) in &unparsable {
        let found = indices.iter().map(|&i| (i, batch.line(i))).find(|(_, l)| &l[..] == echoed.as_bytes());
        let (index, line) = match found {
            Some((i, l)) => (Some(batch.first + i as u64), l),
            None => (None, Bytes::copy_from_slice(echoed.as_bytes())),
        };
        lines.push(Line { index, line, reason: Some((*reason).to_owned()) });
    }
    let mut conflicting = Vec::new();
    if let Some((measurement, field, ty)) = retry::type_conflict(message) {
        let reason =
            format!("field type conflict: field \"{field}\" is {ty} here but has another type in the database");
        for &i in &indices {
            let line = batch.line(i);
            if field_type_of(&line, measurement, field) == Some(ty) {
                lines.push(Line { index: Some(batch.first + i as u64), line, reason: Some(reason.clone()) });
                conflicting.push(i);
            }
        }
    }
    PartialAnswer { rejected, lines, conflicting }
}

/// The line-protocol type (as the server names it) of `field` in `line`, if
/// the line's measurement is `measurement`.
fn field_type_of(line: &[u8], measurement: &str, field: &str) -> Option<&'static str> {
    let shape = super::batch::scan_line(line).ok()?;
    let key = &line[..shape.key_end];
    let m_end = unescaped_pos(key, b',').unwrap_or(key.len());
    if unescape(&key[..m_end], Element::Measurement) != measurement.as_bytes() {
        return None;
    }
    let fields = &line[shape.key_end + 1..];
    let mut i = 0;
    while i < fields.len() {
        let eq = i + unescaped_pos(&fields[i..], b'=')?;
        let name = unescape(&fields[i..eq], Element::FieldKey);
        let (value_end, ty) = value_at(fields, eq + 1);
        if name == field.as_bytes() {
            return Some(ty);
        }
        if value_end >= fields.len() || fields[value_end] != b',' {
            return None;
        }
        i = value_end + 1;
    }
    None
}

fn value_at(s: &[u8], start: usize) -> (usize, &'static str) {
    if s.get(start) == Some(&b'"') {
        let mut i = start + 1;
        while i < s.len() && s[i] != b'"' {
            i += if s[i] == b'\\' { 2 } else { 1 };
        }
        return ((i + 1).min(s.len()), "string");
    }
    let end = s[start..].iter().position(|&b| b == b',' || b == b' ').map_or(s.len(), |p| start + p);
    let v = &s[start..end];
    let ty = match v.last() {
        Some(b'i') => "integer",
        Some(b'u') => "unsigned",
        _ if matches!(v, b"t" | b"T" | b"true" | b"True" | b"TRUE" | b"f" | b"F" | b"false" | b"False" | b"FALSE") => {
            "boolean"
        }
        _ => "float",
    };
    (end, ty)
}

fn unescaped_pos(s: &[u8], needle: u8) -> Option<usize> {
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\' {
            i += 2;
            continue;
        }
        if s[i] == needle {
            return Some(i);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_types_are_read_from_lines() {
        assert_eq!(field_type_of(b"cpu,h=a value=1i 5", "cpu", "value"), Some("integer"));
        assert_eq!(field_type_of(b"cpu value=1.5", "cpu", "value"), Some("float"));
        assert_eq!(field_type_of(br#"cpu s="a,b=c",value=t"#, "cpu", "value"), Some("boolean"));
        assert_eq!(field_type_of(br#"cpu value="x y""#, "cpu", "value"), Some("string"));
        assert_eq!(field_type_of(br"my\ cpu v\=x=1i", "my cpu", "v=x"), Some("integer"));
        // Backslashes are kept in names, as the server keeps them.
        assert_eq!(field_type_of(br"c:\m a\b=1i", r"c:\m", r"a\b"), Some("integer"));
        assert_eq!(field_type_of(b"mem value=1i", "cpu", "value"), None);
        assert_eq!(field_type_of(b"cpu other=1i", "cpu", "value"), None);
    }
}
