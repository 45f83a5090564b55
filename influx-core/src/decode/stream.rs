//! Splitting a chunked `/query` body (newline-delimited JSON) into complete chunks.

use std::pin::Pin;

use bytes::{Bytes, BytesMut};
use futures::{Stream, StreamExt};

use crate::Result;

/// A body as a stream of byte pieces, in whatever sizes the network gives.
pub(crate) type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes>> + Send>>;

/// Yields one complete JSON chunk (one line) at a time, holding at most one
/// chunk plus one network read in memory.
pub(crate) struct ChunkReader {
    body: ByteStream,
    buf: BytesMut,
    /// How far `buf` has been searched for a newline.
    scanned: usize,
    done: bool,
    /// The last chunk returned ended at the end of the body, not at a newline.
    unterminated: bool,
}

impl ChunkReader {
    pub(crate) fn new(body: ByteStream) -> Self {
        Self { body, buf: BytesMut::new(), scanned: 0, done: false, unterminated: false }
    }

    /// True if the last chunk returned had no newline after it (the body ended
    /// there): for JSON lines, a body cut off in the middle of a line.
    pub(crate) fn unterminated(&self) -> bool {
        self.unterminated
    }

    /// The next chunk without its newline, or `None` at the end of the body.
    pub(crate) async fn next_chunk(&mut self) -> Result<Option<Bytes>> {
        loop {
            if let Some(i) = memchr(b'\n', &self.buf[self.scanned..]) {
                let line = self.buf.split_to(self.scanned + i + 1).freeze();
                self.scanned = 0;
                let line = line.slice(..line.len() - 1);
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                return Ok(Some(line));
            }
            self.scanned = self.buf.len();
            if self.done {
                if self.buf.iter().all(u8::is_ascii_whitespace) {
                    return Ok(None);
                }
                self.scanned = 0;
                self.unterminated = true;
                return Ok(Some(self.buf.split().freeze()));
            }
            match self.body.next().await {
                Some(Ok(piece)) => self.buf.extend_from_slice(&piece),
                Some(Err(e)) => return Err(e),
                None => self.done = true,
            }
        }
    }
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn splits_lines_across_reads() {
        let pieces: Vec<Result<Bytes>> =
            vec![Ok(Bytes::from_static(b"{\"a\":1}\n{\"b\"")), Ok(Bytes::from_static(b":2}\n\n{\"c\":3}"))];
        let mut r = ChunkReader::new(Box::pin(futures::stream::iter(pieces)));
        assert_eq!(&r.next_chunk().await.unwrap().unwrap()[..], b"{\"a\":1}");
        assert_eq!(&r.next_chunk().await.unwrap().unwrap()[..], b"{\"b\":2}");
        assert!(!r.unterminated());
        assert_eq!(&r.next_chunk().await.unwrap().unwrap()[..], b"{\"c\":3}");
        assert!(r.unterminated());
        assert!(r.next_chunk().await.unwrap().is_none());
    }
}
