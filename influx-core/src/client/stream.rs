//! Streams of rows and of raw chunks.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;

use crate::decode::stream::ChunkReader;
use crate::decode::{check_outcome, check_response, decode_body, DecodeContext, DecodeRow, QueryResponse};
use crate::Result;

pub(crate) type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T>> + Send>>;

/// Typed rows of a chunked query, decoded one chunk at a time.
///
/// Holds at most two chunks' bytes (the last one is kept to check, at the end, that
/// it is not marked partial) and one chunk's rows. After an error it ends.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # async fn f(client: influx::Client) -> influx::Result<()> {
/// use futures::StreamExt;
/// let mut s = client.query_stream::<(i64, f64)>("SELECT usage FROM cpu").await?;
/// while let Some(row) = s.next().await {
///     let (time, usage) = row?;
///     # let _ = (time, usage);
/// }
/// # Ok(()) }
/// ```
pub struct RowStream<T> {
    inner: BoxStream<T>,
}

impl<T> std::fmt::Debug for RowStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RowStream")
    }
}

impl<T: DecodeRow + Send + 'static> RowStream<T> {
    pub(crate) fn new(reader: ChunkReader, ctx: DecodeContext) -> Self {
        let decode = move |chunk: &[u8], pending: &mut VecDeque<T>| {
            decode_body::<T, _>(chunk, &ctx, None, pending).and_then(|out| check_outcome(&out, true))
        };
        Self { inner: chunk_stream(reader, decode) }
    }
}

/// The items of a chunked answer: `decode` turns each chunk into items, which the stream
/// yields before reading the next chunk. After an error it ends.
pub(crate) fn chunk_stream<T, F>(reader: ChunkReader, mut decode: F) -> BoxStream<T>
where
    T: Send + 'static,
    F: FnMut(&[u8], &mut VecDeque<T>) -> Result<()> + Send + 'static,
{
    piece_stream(reader, move |piece, pending| match piece {
        Piece::Chunk(chunk) | Piece::Unterminated(chunk) => decode(chunk, pending),
        Piece::End => Ok(()),
    })
}

/// What a stream's decoder is given by [`piece_stream`].
pub(crate) enum Piece<'a> {
    /// A complete chunk (a line), without its newline.
    Chunk(&'a [u8]),
    /// The body's last bytes, with no newline after them (JSON lines: the answer was cut off).
    Unterminated(&'a [u8]),
    /// The answer ended: the decoder may hand out what it still holds.
    End,
}

/// [`chunk_stream`] for decoders that tell a cut-off last line from a complete one, or hold
/// items until the answer ends. After an error it ends.
pub(crate) fn piece_stream<T, F>(reader: ChunkReader, decode: F) -> BoxStream<T>
where
    T: Send + 'static,
    F: FnMut(Piece<'_>, &mut VecDeque<T>) -> Result<()> + Send + 'static,
{
    let state = ChunkState { reader, decode, pending: VecDeque::new(), done: false };
    let inner = futures::stream::unfold(state, |mut st| async move {
        loop {
            if let Some(item) = st.pending.pop_front() {
                return Some((Ok(item), st));
            }
            if st.done {
                return None;
            }
            let step = match st.reader.next_chunk().await {
                Ok(Some(chunk)) if st.reader.unterminated() => {
                    (st.decode)(Piece::Unterminated(&chunk), &mut st.pending)
                }
                Ok(Some(chunk)) => (st.decode)(Piece::Chunk(&chunk), &mut st.pending),
                Ok(None) => {
                    st.done = true;
                    (st.decode)(Piece::End, &mut st.pending)
                }
                Err(e) => Err(e),
            };
            if let Err(e) = step {
                st.done = true;
                st.pending.clear();
                return Some((Err(e), st));
            }
        }
    });
    Box::pin(inner)
}

struct ChunkState<T, F> {
    reader: ChunkReader,
    decode: F,
    pending: VecDeque<T>,
    done: bool,
}

impl<T> RowStream<T> {
    /// A row stream over rows decoded elsewhere (another API generation's driver).
    pub(crate) fn from_stream(inner: BoxStream<T>) -> Self {
        Self { inner }
    }
}

impl<T> Stream for RowStream<T> {
    type Item = Result<T>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<T>>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// The chunks of a chunked query as raw JSON structures.
///
/// A chunk holding a failed statement is an error, as in [`crate::Client::query`],
/// unless the query says [`crate::Query::keep_statement_errors`]. The stream
/// ends with an error, never early: an answer cut short is
/// [`crate::ErrorKind::Truncated`].
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # async fn f(client: influx::Client) -> influx::Result<()> {
/// use futures::TryStreamExt;
/// let chunks: Vec<_> = client.query_chunks("SELECT * FROM cpu").await?.try_collect().await?;
/// # let _ = chunks; Ok(()) }
/// ```
pub struct ChunkStream {
    inner: BoxStream<QueryResponse>,
}

impl std::fmt::Debug for ChunkStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChunkStream")
    }
}

impl ChunkStream {
    pub(crate) fn new(reader: ChunkReader, keep_statement_errors: bool) -> Self {
        let inner = futures::stream::unfold(Some(reader), move |reader| async move {
            let mut reader = reader?;
            match reader.next_chunk().await {
                Ok(Some(c)) => {
                    let chunk = super::parse_raw(&c).and_then(|r| {
                        if keep_statement_errors {
                            Ok(r)
                        } else {
                            check_response(&r).map(|()| r)
                        }
                    });
                    match chunk {
                        Ok(r) => Some((Ok(r), Some(reader))),
                        Err(e) => Some((Err(e), None)),
                    }
                }
                Ok(None) => None,
                Err(e) => Some((Err(e), None)),
            }
        });
        Self { inner: Box::pin(inner) }
    }
}

impl Stream for ChunkStream {
    type Item = Result<QueryResponse>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<QueryResponse>>> {
        self.inner.as_mut().poll_next(cx)
    }
}
