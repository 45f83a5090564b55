//! Writes over UDP to InfluxDB's UDP listener, lines packed into datagrams.

use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};

use crate::line_protocol::{encode_batch, EncodeOptions, WritePoint};
use crate::{Error, ErrorKind, Result};

/// Sends line protocol to an InfluxDB UDP listener (`[[udp]]` in the server's
/// config, which picks the database), packing whole lines into datagrams of
/// at most [`UdpWriter::max_datagram`] bytes.
///
/// UDP gets no answer: a point the server rejects is lost without a word, and
/// the timestamps must be in the listener's `precision` (ns by default).
/// A line longer than the datagram limit goes alone in a datagram if it fits
/// in the 65,507 bytes UDP allows, else it is an error.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # fn main() -> influx::Result<()> {
/// let udp = influx::UdpWriter::connect("127.0.0.1:8089")?;
/// udp.write_lp(b"cpu,host=a usage=0.5\ncpu,host=b usage=0.7")?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct UdpWriter {
    socket: UdpSocket,
    target: SocketAddr,
    max_datagram: usize,
}

/// Below the usual 1500-byte Ethernet MTU minus IP and UDP headers, so datagrams are never fragmented.
const SAFE_DATAGRAM: usize = 1400;
const MAX_UDP_PAYLOAD: usize = 65_507;

impl UdpWriter {
    /// A writer sending to `addr` (`host:port`).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// let udp = influx::UdpWriter::connect("localhost:8089").unwrap();
    /// # let _ = udp;
    /// ```
    pub fn connect(addr: impl ToSocketAddrs) -> Result<Self> {
        let target = addr
            .to_socket_addrs()
            .map_err(|e| Error::new(ErrorKind::Connect, "cannot resolve the UDP address").with_source(e))?
            .next()
            .ok_or_else(|| Error::new(ErrorKind::Connect, "the UDP address resolves to nothing"))?;
        let local = if target.is_ipv4() { "0.0.0.0:0" } else { "[::]:0" };
        let socket = UdpSocket::bind(local)
            .and_then(|s| s.connect(target).map(|()| s))
            .map_err(|e| Error::new(ErrorKind::Connect, "cannot open the UDP socket").with_source(e))?;
        Ok(Self { socket, target, max_datagram: SAFE_DATAGRAM })
    }

    /// The address datagrams go to.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// let udp = influx::UdpWriter::connect("127.0.0.1:8089").unwrap();
    /// assert_eq!(udp.target().port(), 8089);
    /// ```
    pub fn target(&self) -> SocketAddr {
        self.target
    }

    pub(crate) fn bind_for(addr: &str) -> Result<Self> {
        Self::connect(addr).map_err(|e| Error::new(ErrorKind::Builder, format!("invalid UDP address: {e}")))
    }

    /// Sets the largest datagram (default 1400 bytes; at most 65,507).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// let udp = influx::UdpWriter::connect("localhost:8089").unwrap().max_datagram(8192);
    /// assert_eq!(udp.max_datagram_size(), 8192);
    /// ```
    #[must_use]
    pub fn max_datagram(mut self, bytes: usize) -> Self {
        self.max_datagram = bytes.clamp(64, MAX_UDP_PAYLOAD);
        self
    }

    /// The largest datagram this writer sends (except for single oversized lines).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::UdpWriter::connect("localhost:8089").unwrap().max_datagram_size(), 1400);
    /// ```
    pub fn max_datagram_size(&self) -> usize {
        self.max_datagram
    }

    /// Encodes `points` at nanosecond precision and sends them; returns the number of datagrams.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f(points: &[influx::line_protocol::Encoder<'_>]) {}
    /// ```
    pub fn write<I>(&self, points: I) -> Result<usize>
    where
        I: IntoIterator,
        I::Item: WritePoint,
    {
        let mut body = Vec::new();
        encode_batch(points, &mut body, &EncodeOptions::default())?;
        self.write_lp(&body)
    }

    /// Sends a body of line protocol (lines joined by `\n`); returns the number of datagrams.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// let n = influx::UdpWriter::connect("localhost:8089").unwrap().write_lp(b"m v=1").unwrap();
    /// assert_eq!(n, 1);
    /// ```
    pub fn write_lp(&self, body: &[u8]) -> Result<usize> {
        let mut sent = 0;
        for datagram in pack(body, self.max_datagram) {
            let d = datagram?;
            self.socket
                .send(d)
                .map_err(|e| Error::new(ErrorKind::Transport, "sending a UDP datagram failed").with_source(e))?;
            sent += 1;
        }
        Ok(sent)
    }
}

/// Splits `body` at newlines into datagrams of at most `max` bytes, never inside a line.
fn pack(body: &[u8], max: usize) -> impl Iterator<Item = Result<&[u8]>> {
    let mut rest = body;
    let mut line_no = 0usize;
    std::iter::from_fn(move || {
        while rest.first() == Some(&b'\n') {
            rest = &rest[1..];
            line_no += 1;
        }
        if rest.is_empty() {
            return None;
        }
        let mut end = 0;
        let mut first = true;
        loop {
            let pos = if first { 0 } else { end + 1 };
            let line_end = rest[pos..].iter().position(|&b| b == b'\n').map_or(rest.len(), |i| pos + i);
            if !first && line_end > max {
                break;
            }
            first = false;
            line_no += 1;
            end = line_end;
            if end >= rest.len() || end >= max {
                break;
            }
        }
        let d = &rest[..end];
        if d.len() > MAX_UDP_PAYLOAD {
            rest = &[];
            return Some(Err(Error::new(
                ErrorKind::Encode,
                format!("line {line_no} is {} bytes, more than a UDP datagram can carry", d.len()),
            )));
        }
        rest = &rest[(end + 1).min(rest.len())..];
        Some(Ok(d))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_whole_lines_under_the_limit() {
        let body = b"aaaa\nbbbb\ncccc\ndddddddddddd\ne";
        let d: Vec<_> = pack(body, 10).map(|r| r.unwrap()).collect();
        assert_eq!(d, vec![&b"aaaa\nbbbb"[..], b"cccc", b"dddddddddddd", b"e"]);
        for d in pack(body, 9) {
            let d = d.unwrap();
            assert!(d.len() <= 9 || !d.contains(&b'\n'));
        }
        let joined: Vec<u8> = pack(body, 9).map(|r| r.unwrap()).collect::<Vec<_>>().join(&b'\n');
        assert_eq!(joined, body);
        let big = vec![b'x'; MAX_UDP_PAYLOAD + 1];
        assert!(pack(&big, 1400).next().unwrap().is_err());
    }
}
