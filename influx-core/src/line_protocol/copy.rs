//! Appending short byte strings without a call into `memcpy`.
//!
//! Most of what a line holds is short: tag values, numbers from itoa and
//! zmij, small strings. `Vec::extend_from_slice` with a length known only at
//! run time becomes a library call that costs more than the copy itself for a
//! few bytes; here a short slice is moved as two overlapping fixed-size words
//! instead (the trick fast `memcpy`s use inside), in safe code.

/// Appends `s` to `buf`.
#[inline(always)]
pub(crate) fn put(buf: &mut Vec<u8>, s: &[u8]) {
    let n = s.len();
    if n > 32 {
        buf.extend_from_slice(s);
        return;
    }
    let at = buf.len();
    // A fixed-size append (inlined stores), then overwritten and cut to size.
    buf.extend_from_slice(&[0; 32]);
    let out = &mut buf[at..at + 32];
    if n >= 16 {
        out[..16].copy_from_slice(&s[..16]);
        out[n - 16..n].copy_from_slice(&s[n - 16..]);
    } else if n >= 8 {
        out[..8].copy_from_slice(&s[..8]);
        out[n - 8..n].copy_from_slice(&s[n - 8..]);
    } else if n >= 4 {
        out[..4].copy_from_slice(&s[..4]);
        out[n - 4..n].copy_from_slice(&s[n - 4..]);
    } else if n > 0 {
        out[0] = s[0];
        out[n / 2] = s[n / 2];
        out[n - 1] = s[n - 1];
    }
    buf.truncate(at + n);
}

/// Bytes written many times (a record batch's `,key=` and measurement), kept with a copy
/// of their first 32 bytes in place, so that appending them is one fixed-size copy (as the
/// derive's compile-time arrays are) rather than a copy of a length known only at run time.
#[cfg(feature = "arrow")]
#[derive(Debug, Clone)]
pub(crate) struct Bytes32 {
    head: [u8; 32],
    all: Box<[u8]>,
}

#[cfg(feature = "arrow")]
impl Bytes32 {
    pub(crate) fn new(bytes: &[u8]) -> Self {
        let mut head = [0; 32];
        let n = bytes.len().min(32);
        head[..n].copy_from_slice(&bytes[..n]);
        Self { head, all: bytes.into() }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.all
    }

    /// Appends the bytes to `buf`.
    #[inline(always)]
    pub(crate) fn put(&self, buf: &mut Vec<u8>) {
        let n = self.all.len();
        if n > 32 {
            buf.extend_from_slice(&self.all);
            return;
        }
        let at = buf.len();
        buf.extend_from_slice(&self.head);
        buf.truncate(at + n);
    }
}

#[cfg(test)]
mod tests {
    use super::put;

    #[cfg(feature = "arrow")]
    #[test]
    fn bytes32_appends_every_length_exactly() {
        let src: Vec<u8> = (1..=80).collect();
        for n in 0..=80 {
            let mut buf = b"head".to_vec();
            super::Bytes32::new(&src[..n]).put(&mut buf);
            assert_eq!(&buf[4..], &src[..n], "length {n}");
        }
    }

    #[test]
    fn every_length_is_copied_exactly() {
        let src: Vec<u8> = (1..=80).collect();
        for n in 0..=80 {
            let mut buf = b"head".to_vec();
            put(&mut buf, &src[..n]);
            assert_eq!(&buf[..4], b"head");
            assert_eq!(&buf[4..], &src[..n], "length {n}");
        }
    }
}
