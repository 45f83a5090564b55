//! Line protocol: escaping, validation and encoding into a caller-owned buffer.
//!
//! (Skeleton: the contract other modules build on. Implementation lands with
//! the foundation issue.)

use crate::{Precision, Result};

/// Options that apply to every point of one encoded batch.
#[derive(Debug, Clone, Default)]
pub struct EncodeOptions {
    /// The precision timestamps are written in (must match the request's `precision`).
    pub precision: Precision,
}

/// Writes one point as one line into an [`Encoder`].
pub trait WritePoint {
    /// Appends this point's line (without the trailing newline) to `enc`.
    fn write_point(&self, enc: &mut Encoder<'_>) -> Result<()>;
}

impl<T: WritePoint + ?Sized> WritePoint for &T {
    fn write_point(&self, enc: &mut Encoder<'_>) -> Result<()> {
        (**self).write_point(enc)
    }
}

/// Appends lines of line protocol to a caller-owned buffer.
pub struct Encoder<'a> {
    buf: &'a mut Vec<u8>,
    opts: &'a EncodeOptions,
}

impl<'a> Encoder<'a> {
    /// An encoder appending to `buf`.
    pub fn new(buf: &'a mut Vec<u8>, opts: &'a EncodeOptions) -> Self {
        Self { buf, opts }
    }

    /// The options in force.
    pub fn options(&self) -> &EncodeOptions {
        self.opts
    }

    /// The buffer written so far.
    pub fn buffer(&mut self) -> &mut Vec<u8> {
        self.buf
    }
}

/// Encodes every point of `points` into `buf`, one line each, joined by `\n`.
///
/// On error the buffer is truncated back to its length before the call and the
/// error names the index of the offending point.
pub fn encode_batch<I>(points: I, buf: &mut Vec<u8>, opts: &EncodeOptions) -> Result<usize>
where
    I: IntoIterator,
    I::Item: WritePoint,
{
    let start = buf.len();
    let mut n = 0;
    for (i, p) in points.into_iter().enumerate() {
        if buf.len() > start {
            buf.push(b'\n');
        }
        let mut enc = Encoder::new(buf, opts);
        if let Err(e) = p.write_point(&mut enc) {
            buf.truncate(start);
            return Err(e.context(format_args!("point {i}")));
        }
        n += 1;
    }
    Ok(n)
}
