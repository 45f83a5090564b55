//! Splitting a chunked `/query` body (newline-delimited JSON) into complete
//! chunks, and checking that the answer ran to its end.

use std::pin::Pin;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures::{Stream, StreamExt};
use serde::Deserialize;

use crate::{Error, ErrorKind, Result};

/// A body as a stream of byte pieces, in whatever sizes the network gives.
pub(crate) type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes>> + Send>>;

/// A body whose every wait for the next piece is bounded by `gap` (`chunk_timeout`).
pub(crate) fn gap_bounded(body: ByteStream, gap: Option<Duration>) -> ByteStream {
    let Some(gap) = gap else { return body };
    Box::pin(futures::stream::unfold(Some(body), move |body| async move {
        let mut body = body?;
        match tokio::time::timeout(gap, body.next()).await {
            Ok(Some(piece)) => Some((piece, Some(body))),
            Ok(None) => None,
            Err(_) => Some((
                Err(Error::new(
                    ErrorKind::Timeout,
                    format!("the server sent nothing more of the answer for {gap:?} (chunk_timeout)"),
                )),
                None,
            )),
        }
    }))
}

/// Yields one complete JSON chunk (one line) at a time, holding at most two
/// chunks (the last one returned and the one being read) plus one network read.
///
/// It never lets an answer end short: a body that held no chunk at all (an
/// empty or blank 200, a 204) and one whose last chunk still says
/// `"partial": true` (more was to come) end with [`ErrorKind::Truncated`]
/// instead of `None`. Each wait for the next chunk is bounded by `gap`.
pub(crate) struct ChunkReader {
    body: ByteStream,
    buf: BytesMut,
    /// How far `buf` has been searched for a newline.
    scanned: usize,
    done: bool,
    gap: Option<Duration>,
    /// The last chunk returned, checked for `partial` once the body ends.
    last: Option<Bytes>,
    /// Check that a 1.x answer ran to its end (not for 3.x JSON lines, whose
    /// empty answer is an empty result).
    checked: bool,
    /// The last chunk returned ended at the end of the body, not at a newline.
    unterminated: bool,
}

impl ChunkReader {
    pub(crate) fn new(body: ByteStream, gap: Option<Duration>) -> Self {
        Self {
            body,
            buf: BytesMut::new(),
            scanned: 0,
            done: false,
            gap,
            last: None,
            checked: true,
            unterminated: false,
        }
    }

    /// A reader of plain JSON lines (3.x `jsonl`): no 1.x end-of-answer checks;
    /// the caller asks [`ChunkReader::unterminated`] about a cut-off last line.
    pub(crate) fn lines(body: ByteStream, gap: Option<Duration>) -> Self {
        Self { checked: false, ..Self::new(body, gap) }
    }

    /// True if the last chunk returned had no newline after it (the body ended
    /// there): for JSON lines, a body cut off in the middle of a line.
    pub(crate) fn unterminated(&self) -> bool {
        self.unterminated
    }

    /// The next chunk without its newline, or `None` at the end of a complete answer.
    pub(crate) async fn next_chunk(&mut self) -> Result<Option<Bytes>> {
        let deadline = self.gap.map(|g| tokio::time::Instant::now() + g);
        loop {
            if let Some(i) = memchr(b'\n', &self.buf[self.scanned..]) {
                let line = self.buf.split_to(self.scanned + i + 1).freeze();
                self.scanned = 0;
                let line = line.slice(..line.len() - 1);
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                return Ok(Some(self.keep(line)));
            }
            self.scanned = self.buf.len();
            if self.done {
                if self.buf.iter().all(u8::is_ascii_whitespace) {
                    return self.end().map(|()| None);
                }
                self.scanned = 0;
                self.unterminated = true;
                let line = self.buf.split().freeze();
                return Ok(Some(self.keep(line)));
            }
            let next = self.body.next();
            let piece = match deadline {
                Some(at) => tokio::time::timeout_at(at, next).await.map_err(|_| self.stalled())?,
                None => next.await,
            };
            match piece {
                Some(Ok(piece)) => self.buf.extend_from_slice(&piece),
                Some(Err(e)) => return Err(e),
                None => self.done = true,
            }
        }
    }

    fn keep(&mut self, line: Bytes) -> Bytes {
        if self.checked {
            self.last = Some(line.clone());
        }
        line
    }

    fn stalled(&self) -> Error {
        let gap = self.gap.unwrap_or_default();
        Error::new(ErrorKind::Timeout, format!("the server sent no chunk of the answer for {gap:?} (chunk_timeout)"))
    }

    /// The body has ended: was the answer complete?
    fn end(&mut self) -> Result<()> {
        if !self.checked {
            return Ok(());
        }
        match self.last.take() {
            None => Err(empty_answer()),
            Some(last) if ends_partial(&last) => Err(Error::new(
                ErrorKind::Truncated,
                "the answer ended with a chunk marked partial: the rest never came (connection cut?)",
            )),
            Some(_) => Ok(()),
        }
    }
}

/// The error for an answer that holds no result at all (an empty or blank
/// 200, a 204): the server always sends at least one result per statement.
pub(crate) fn empty_answer() -> Error {
    Error::new(ErrorKind::Truncated, "the server's answer holds no result (empty body)")
}

/// True if a chunk says more is to come, for a statement or a series.
fn ends_partial(chunk: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct Chunk {
        #[serde(default)]
        results: Vec<Statement>,
    }
    #[derive(Deserialize)]
    struct Statement {
        #[serde(default)]
        partial: bool,
        #[serde(default)]
        series: Vec<Series>,
    }
    #[derive(Deserialize)]
    struct Series {
        #[serde(default)]
        partial: bool,
    }
    // Unknown members (values, columns, ...) are skipped unread. A chunk that
    // does not parse has already failed its consumer's decoding.
    serde_json::from_slice::<Chunk>(chunk)
        .is_ok_and(|c| c.results.iter().any(|s| s.partial || s.series.iter().any(|x| x.partial)))
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(pieces: &[&'static [u8]]) -> ChunkReader {
        let pieces: Vec<Result<Bytes>> = pieces.iter().map(|p| Ok(Bytes::from_static(p))).collect();
        ChunkReader::new(Box::pin(futures::stream::iter(pieces)), None)
    }

    #[tokio::test]
    async fn splits_lines_across_reads() {
        let mut r = reader(&[b"{\"a\":1}\n{\"b\"", b":2}\n\n{\"c\":3}"]);
        assert_eq!(&r.next_chunk().await.unwrap().unwrap()[..], b"{\"a\":1}");
        assert_eq!(&r.next_chunk().await.unwrap().unwrap()[..], b"{\"b\":2}");
        assert!(!r.unterminated());
        assert_eq!(&r.next_chunk().await.unwrap().unwrap()[..], b"{\"c\":3}");
        assert!(r.unterminated());
        assert!(r.next_chunk().await.unwrap().is_none());
    }

    #[tokio::test]
    async fn json_lines_may_be_empty() {
        let mut r = ChunkReader::lines(Box::pin(futures::stream::iter(Vec::<Result<Bytes>>::new())), None);
        assert!(r.next_chunk().await.unwrap().is_none());
    }

    #[tokio::test]
    async fn an_empty_or_blank_answer_is_truncated() {
        for body in [&b""[..], b"\n", b"  \r\n \n"] {
            let err = reader(&[body]).next_chunk().await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Truncated, "{body:?}");
        }
    }

    #[tokio::test]
    async fn a_last_chunk_marked_partial_is_truncated() {
        let first = br#"{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time"],"values":[[1]],"partial":true}],"partial":true}]}
"#;
        let mut r = reader(&[first]);
        assert!(r.next_chunk().await.unwrap().is_some());
        assert_eq!(r.next_chunk().await.unwrap_err().kind(), ErrorKind::Truncated);
        // The statement is done but its series was to continue.
        let mut r = reader(&[br#"{"results":[{"statement_id":0,"series":[{"name":"m","partial":true}]}]}"#]);
        assert!(r.next_chunk().await.unwrap().is_some());
        assert_eq!(r.next_chunk().await.unwrap_err().kind(), ErrorKind::Truncated);
        // Partial chunks followed by a final one are complete.
        let last = br#"{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time"],"values":[[2]]}]}]}"#;
        let mut r = reader(&[first, last]);
        assert!(r.next_chunk().await.unwrap().is_some());
        assert!(r.next_chunk().await.unwrap().is_some());
        assert!(r.next_chunk().await.unwrap().is_none());
    }

    #[tokio::test]
    async fn a_stalled_body_times_out_between_chunks() {
        let first: Result<Bytes> = Ok(Bytes::from_static(b"{\"results\":[]}\n"));
        let body = futures::stream::iter([first]).chain(futures::stream::pending());
        let mut r = ChunkReader::new(Box::pin(body), Some(Duration::from_millis(50)));
        assert!(r.next_chunk().await.unwrap().is_some());
        let err = r.next_chunk().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
        assert!(err.to_string().contains("chunk_timeout"), "{err}");
    }
}
