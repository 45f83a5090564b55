//! Encoding points into the batch being filled, and the sealed batch that is
//! sent (and re-sent, split, or reported) without ever being re-encoded.

use std::ops::Range;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;

use crate::line_protocol::{check_raw, encode_one, tag_line, Element, EncodeOptions, WritePoint};
use crate::precision::StampClock;
use crate::{Error, ErrorKind, Precision, Result};

use super::options::WriterOptions;

/// What the encoding of every point needs, computed once per writer.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub(crate) encode: EncodeOptions,
    /// The writer's default tags, for lines written as they are.
    tags: Vec<LineTag>,
    /// The client's clock, when the writer stamps untimed points.
    stamps: Option<Arc<StampClock>>,
    precision: Precision,
}

impl Prepared {
    /// `base` is the client's encoding options: its default tags and unsigned
    /// suffix apply to encoded points; the writer's own default tags win.
    pub(crate) fn new(opts: &WriterOptions, base: &EncodeOptions, clock: &Arc<StampClock>) -> Result<Self> {
        let mut encode = EncodeOptions { precision: opts.precision, ..base.clone() };
        let mut tags: Vec<LineTag> = Vec::with_capacity(opts.default_tags.len());
        // A bad default tag, or an unset environment variable, is a configuration error.
        let config = |e: Error| Error::new(ErrorKind::Builder, e.to_string());
        for (k, source) in &opts.default_tags {
            // Environment variables are read here, once per writer.
            let v = source.resolve(k).map_err(config)?;
            // The encoder merges default tags in sorted order into points it
            // encodes; lines written as they are get them appended below.
            // Same rules for both: a later value for a key wins, an empty one removes it.
            encode.default_tags.insert(k.as_str(), v.as_str()).map_err(config)?;
            tags.retain(|t| t.key != *k);
            if !v.is_empty() {
                let (key_len, line) = tag_line(k, &v)?;
                tags.push(LineTag { key: k.clone(), key_len, line });
            }
        }
        let stamps = opts.client_timestamps.then(|| Arc::clone(clock));
        Ok(Self { encode, tags, stamps, precision: opts.precision })
    }
}

/// A default tag as appended to a line written as it is.
#[derive(Debug)]
struct LineTag {
    key: String,
    key_len: usize,
    /// `,key=value`, escaped.
    line: Vec<u8>,
}

impl LineTag {
    fn escaped_key(&self) -> &[u8] {
        &self.line[1..=self.key_len]
    }
}

/// The shape of one line of line protocol, found by a single scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LineShape {
    /// Where the measurement and tag set end (the first unescaped space).
    pub(crate) key_end: usize,
    pub(crate) has_timestamp: bool,
}

/// Scans a line as InfluxDB 1.x reads it and checks every name in it by the
/// encoder's rules, so a line is refused when a point with the same names
/// would be, and when the server would silently strip or mangle part of it.
/// What the server refuses loudly itself (a bad number, say) is left to it.
pub(crate) fn scan_line(line: &[u8]) -> Result<LineShape> {
    if line.last() == Some(&b'\\') {
        // It would escape the newline that joins it to the next line.
        return Err(line_error("ends with a backslash"));
    }
    match line.first() {
        None => return Err(line_error("is empty")),
        // The server parses it as a comment and silently drops the point.
        Some(b'#') => return Err(line_error("starts with `#`, which the server ignores as a comment")),
        // Skipped as whitespace: the measurement would lose its first byte.
        Some(&b @ (b' ' | b'\t' | 0)) => {
            return Err(line_error(format_args!("starts with {}, which the server strips", byte_name(b))))
        }
        _ => {}
    }
    let key_end = scan_series_key(line)?;
    let mut i = key_end + 1;
    if let Some(&b @ (b' ' | b'\t' | 0)) = line.get(i) {
        // Skipped as whitespace: the first field key would lose it.
        return Err(line_error(format_args!("has {} before its first field, which the server strips", byte_name(b))));
    }
    // The field set: here the server skips the byte after every backslash.
    let first = i;
    loop {
        let start = i;
        while i < line.len() && line[i] != b'=' {
            match line[i] {
                b'\\' => i += 1,
                b'\n' => return Err(line_break()),
                b',' | b' ' => break,
                _ => {}
            }
            i += 1;
        }
        if line.get(i) != Some(&b'=') {
            return Err(line_error(if start == i && i == line.len() {
                "has no fields"
            } else {
                "has a field without `=`"
            }));
        }
        check_raw(&line[start..i], Element::FieldKey, b"", start == first).map_err(|e| e.context("line"))?;
        i += 1;
        if line.get(i) == Some(&b'"') {
            i += 1;
            loop {
                match line.get(i) {
                    None => return Err(line_error("has an unterminated string field")),
                    Some(b'\\') => i += 2,
                    Some(b'"') => break,
                    Some(_) => i += 1,
                }
            }
            i += 1;
            if !matches!(line.get(i), None | Some(b',' | b' ')) {
                // The server stores `"x"` followed by anything as `x"`.
                return Err(line_error("has text after the closing quote of a string field, which the server mangles"));
            }
        } else {
            while i < line.len() && line[i] != b',' && line[i] != b' ' {
                if matches!(line[i], b'\n' | b'\r') {
                    return Err(line_break());
                }
                i += 1;
            }
        }
        match line.get(i) {
            Some(b',') => i += 1,
            Some(_) => break,
            None => return Ok(LineShape { key_end, has_timestamp: false }),
        }
    }
    let timestamp = &line[i + 1..];
    if timestamp.iter().any(|&b| matches!(b, b'\n' | b'\r')) {
        return Err(line_break());
    }
    if timestamp.contains(&b' ') {
        return Err(line_error("has an unescaped space after its timestamp"));
    }
    Ok(LineShape { key_end, has_timestamp: true })
}

/// Checks the measurement and tags; returns where the series key ends. Here
/// a separator is escaped when the byte before it is a backslash.
fn scan_series_key(line: &[u8]) -> Result<usize> {
    let (mut start, mut elem, mut tag_key) = (0, Element::Measurement, 0..0);
    // How many backslashes come right before `i`: the server's line splitter
    // skips the byte after each, so a newline after an odd run is kept.
    let mut run = 0;
    for (i, &b) in line.iter().enumerate() {
        if b == b'\n' && run % 2 == 0 {
            return Err(line_break());
        }
        let escaped = run > 0;
        run = if b == b'\\' { run + 1 } else { 0 };
        if escaped {
            continue;
        }
        match (elem, b) {
            (Element::Measurement | Element::TagValue, b',' | b' ') => {
                check_raw(&line[start..i], elem, &line[tag_key.clone()], true).map_err(|e| e.context("line"))?;
                if b == b' ' {
                    return Ok(i);
                }
                (start, elem) = (i + 1, Element::TagKey);
            }
            (Element::TagKey, b'=') => {
                check_raw(&line[start..i], elem, b"", true).map_err(|e| e.context("line"))?;
                (start, elem, tag_key) = (i + 1, Element::TagValue, start..i);
            }
            (Element::TagKey, b',' | b' ') => return Err(line_error("has a tag without `=`")),
            _ => {}
        }
    }
    Err(line_error("has no fields"))
}

#[cold]
fn line_error(why: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Encode, format!("line {why}"))
}

#[cold]
fn line_break() -> Error {
    line_error("contains a line break outside a string field")
}

fn byte_name(b: u8) -> &'static str {
    match b {
        b' ' => "a space",
        b'\t' => "a tab",
        _ => "a NUL byte",
    }
}

/// True if the key section `m,k1=v1,k2=v2` holds a tag whose escaped key is `key`
/// (a separator counts unless the byte before it is a backslash, as the server reads it).
fn has_tag(keys: &[u8], key: &[u8]) -> bool {
    let mut start = None;
    for (i, &b) in keys.iter().enumerate() {
        if i > 0 && keys[i - 1] == b'\\' {
            continue;
        }
        match b {
            b',' => start = Some(i + 1),
            b'=' => {
                if let Some(s) = start.take() {
                    if &keys[s..i] == key {
                        return true;
                    }
                }
            }
            _ => {}
        }
    }
    false
}

/// The batch being filled: one body of lines joined by `\n`, and where each ends.
#[derive(Debug, Default)]
pub(crate) struct Filling {
    pub(crate) body: Vec<u8>,
    pub(crate) ends: Vec<usize>,
    pub(crate) since: Option<Instant>,
    /// Some line has no timestamp (so re-sending it is not idempotent).
    pub(crate) untimed: bool,
    /// Lines taken out in earlier batches: the writer-wide index of the next batch's first point.
    taken: u64,
}

impl Filling {
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Encodes `point` as one more line. On error nothing is added.
    pub(crate) fn push_point<P: WritePoint + ?Sized>(&mut self, point: &P, prep: &Prepared) -> Result<()> {
        let start = self.body.len();
        if !self.ends.is_empty() {
            self.body.push(b'\n');
        }
        let line_start = self.body.len();
        let encoded = encode_one(point, &mut self.body, &prep.encode);
        let finished = match encoded {
            // The encoder's lines are valid and it says whether it wrote a timestamp.
            Ok(has_timestamp) if prep.tags.is_empty() => {
                self.end_line(has_timestamp, prep);
                Ok(())
            }
            Ok(_) => self.finish_line(line_start, prep),
            Err(e) => Err(e),
        };
        if let Err(e) = finished {
            self.body.truncate(start);
            return Err(e);
        }
        Ok(())
    }

    /// Adds one line of line protocol as it is (after checking its shape).
    pub(crate) fn push_line(&mut self, line: &str, prep: &Prepared) -> Result<()> {
        let start = self.body.len();
        if !self.ends.is_empty() {
            self.body.push(b'\n');
        }
        let line_start = self.body.len();
        self.body.extend_from_slice(line.as_bytes());
        if let Err(e) = self.finish_line(line_start, prep) {
            self.body.truncate(start);
            return Err(e);
        }
        Ok(())
    }

    fn finish_line(&mut self, line_start: usize, prep: &Prepared) -> Result<()> {
        let shape = scan_line(&self.body[line_start..])?;
        let key_end = line_start + shape.key_end;
        let mut at = key_end;
        for tag in &prep.tags {
            if !has_tag(&self.body[line_start..key_end], tag.escaped_key()) {
                self.body.splice(at..at, tag.line.iter().copied());
                at += tag.line.len();
            }
        }
        self.end_line(shape.has_timestamp, prep);
        Ok(())
    }

    fn end_line(&mut self, has_timestamp: bool, prep: &Prepared) {
        if !has_timestamp {
            match &prep.stamps {
                Some(clock) => clock.push_stamp(&mut self.body, prep.precision),
                None => self.untimed = true,
            }
        }
        if self.since.is_none() {
            self.since = Some(Instant::now());
        }
        self.ends.push(self.body.len());
    }

    /// Takes the lines out, leaving empty buffers of the given ones' capacity.
    /// Returns the body, the line ends, whether some line is untimed, and the
    /// writer-wide index of the first line.
    pub(crate) fn take(&mut self, spare: Option<Vec<u8>>) -> (Vec<u8>, Vec<usize>, bool, u64) {
        self.since = None;
        let first = self.taken;
        self.taken += self.ends.len() as u64;
        let untimed = std::mem::take(&mut self.untimed);
        let cap = self.ends.capacity();
        // Without a recycled buffer, start at the last batch's size rather than regrow from zero.
        let fresh = spare.unwrap_or_else(|| Vec::with_capacity(self.body.len() + self.body.len() / 8));
        let body = std::mem::replace(&mut self.body, fresh);
        (body, std::mem::replace(&mut self.ends, Vec::with_capacity(cap)), untimed, first)
    }
}

/// A sealed batch: encoded once, then only sliced.
#[derive(Debug)]
pub(crate) struct Batch {
    pub(crate) seq: u64,
    pub(crate) body: Bytes,
    pub(crate) ends: Vec<usize>,
    pub(crate) sealed_at: Instant,
    /// Every line carries a timestamp: re-sending any of them overwrites, never duplicates.
    pub(crate) idempotent: bool,
    /// The writer-wide index of the first line (points are counted in the order accepted).
    pub(crate) first: u64,
}

impl Batch {
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    fn start_of(&self, line: usize) -> usize {
        if line == 0 {
            0
        } else {
            self.ends[line - 1] + 1
        }
    }

    /// The body holding lines `lines` (a slice of the encoded batch, no copy).
    pub(crate) fn body_of(&self, lines: Range<usize>) -> Bytes {
        self.body.slice(self.start_of(lines.start)..self.ends[lines.end - 1])
    }

    pub(crate) fn line(&self, i: usize) -> Bytes {
        self.body_of(i..i + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prep(opts: WriterOptions) -> Prepared {
        Prepared::new(&opts, &EncodeOptions::default(), &Arc::default()).unwrap()
    }

    #[test]
    fn scan_finds_key_section_and_timestamp() {
        assert_eq!(scan_line(b"m v=1").unwrap(), LineShape { key_end: 1, has_timestamp: false });
        assert_eq!(scan_line(b"m,t=a v=1 5").unwrap(), LineShape { key_end: 5, has_timestamp: true });
        assert_eq!(scan_line(br"m\ x,t=a\ b v=1").unwrap(), LineShape { key_end: 11, has_timestamp: false });
        assert!(scan_line(br#"m s="a b \" c" "#).unwrap().has_timestamp);
        assert!(!scan_line(br#"m s="a b \" c""#).unwrap().has_timestamp);
        assert!(scan_line(b"m s=\"x\ny\" 1").unwrap().has_timestamp);
        assert!(scan_line(br#"m s="ends\\" 1"#).unwrap().has_timestamp);
        assert!(scan_line(b"").is_err());
        assert!(scan_line(b"#m v=1").is_err());
        assert!(scan_line(b"m v=1\nm v=2").is_err());
        assert!(scan_line(b"m v=1 2\r").is_err());
        assert!(scan_line(b"m").is_err());
        assert!(scan_line(br#"m s="open"#).is_err());
        assert!(scan_line(b"m v=1 2 3").is_err());
        // A separator in the series key is escaped by the byte before it, as the server reads it.
        assert_eq!(scan_line(br"m,t=a\\ b v=1").unwrap(), LineShape { key_end: 9, has_timestamp: false });
        assert_eq!(scan_line(b"m,t=a\r v=1").unwrap(), LineShape { key_end: 6, has_timestamp: false });
    }

    fn refused(line: &[u8]) -> String {
        scan_line(line).map(|s| format!("accepted: {s:?}")).unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn what_the_server_strips_or_mangles_is_refused() {
        assert_eq!(refused(b"\t#x v=1i 5"), "line starts with a tab, which the server strips");
        assert_eq!(refused(b"\0m v=1i 5"), "line starts with a NUL byte, which the server strips");
        assert_eq!(refused(b" m v=1i 5"), "line starts with a space, which the server strips");
        assert_eq!(refused(b"m \tv=1i"), "line has a tab before its first field, which the server strips");
        assert_eq!(refused(b"m,t=a  v=1i"), "line has a space before its first field, which the server strips");
        assert!(refused(br#"m s="x"\r 5"#).starts_with("line has text after the closing quote"));
        assert!(refused(br#"m s="x"y,v=1i"#).starts_with("line has text after the closing quote"));
        assert_eq!(refused(br"m v=1i\"), "line ends with a backslash");
        // Kept: a tab or NUL starting a later field key, and inside names.
        assert!(scan_line(b"m a=1i,\tb=2i,\0c=3i").is_ok());
        assert!(scan_line(b"m\t,t\0=\r\x7f v\t=1i").is_ok());
    }

    #[test]
    fn names_get_the_encoders_rules_as_the_server_reads_them() {
        assert_eq!(
            refused(br"m\\,x v=1i"),
            r#"line: measurement `m\\,x` has a backslash before `,`, `=`, `"` or a space, which the server drops when it lists measurements"#
        );
        assert!(refused(br"m\=x v=1i").starts_with("accepted"), "read as `m=x`");
        assert!(refused(br"m,t\\,=v\\\ w f=1i").starts_with("accepted"), "tags keep backslashes");
        assert!(refused(br"m,time=x f=1i").starts_with("line: tag key `time` is `time`"));
        assert!(refused(br"m,t= f=1i").starts_with("line: tag `t` value is empty"));
        assert!(refused(br"m,t f=1i").starts_with("line has a tag without `=`"));
        assert!(refused(br#"m a\\"b=1i"#).starts_with(r#"line: field key `a\\\"b` has a backslash before `"`"#));
        assert!(refused(br"m a\\\,b=1i").starts_with("accepted"), "an even run leaves the comma escaped");
        assert!(refused(br"m a\\,b=1i").starts_with("line has a field without `=`"));
        assert!(refused(b"m,t=a\\\nb v\\\nw=1i").starts_with("accepted"), "a newline after a backslash is kept");
        assert!(refused(b"m,t=a\\\\\nb v=1i").starts_with("line contains a line break"));
    }

    #[test]
    fn stamps_are_added_once_and_strictly_increase() {
        let p = prep(WriterOptions::new());
        let mut f = Filling::default();
        for _ in 0..100 {
            f.push_line("m v=1", &p).unwrap();
        }
        f.push_line("m v=1 42", &p).unwrap();
        let body = String::from_utf8(f.body.clone()).unwrap();
        let stamps: Vec<i64> = body.lines().map(|l| l.rsplit(' ').next().unwrap().parse().unwrap()).collect();
        assert_eq!(stamps.len(), 101);
        assert!(stamps[..100].windows(2).all(|w| w[0] < w[1]), "{stamps:?}");
        assert_eq!(stamps[100], 42);
        assert_eq!(f.ends.len(), 101);
    }

    #[test]
    fn timestamps_are_found_at_the_end_of_lines() {
        for (line, has) in [
            (&b"m v=1 5"[..], true),
            (b"m v=1 -5", true),
            (b"m v=15", false),
            (b"m v=-15", false),
            (b"m v=1i", false),
            (br#"m s="a 15""#, false),
            (br#"m s="a",v=2 1700000000000000000"#, true),
        ] {
            assert_eq!(scan_line(line).unwrap().has_timestamp, has, "{}", String::from_utf8_lossy(line));
        }
    }

    #[test]
    fn stamps_can_be_turned_off() {
        let p = prep(WriterOptions::new().client_timestamps(false));
        let mut f = Filling::default();
        f.push_line("m v=1", &p).unwrap();
        assert_eq!(f.body, b"m v=1");
    }

    #[test]
    fn default_tags_are_added_unless_present() {
        let p = prep(WriterOptions::new().client_timestamps(false).default_tag("host", "a b").default_tag("dc", "x"));
        let mut f = Filling::default();
        f.push_line("m,dc=own v=1", &p).unwrap();
        f.push_line(r"m\,dc=no v=1", &p).unwrap();
        assert_eq!(String::from_utf8(f.body).unwrap(), "m,dc=own,host=a\\ b v=1\nm\\,dc=no,host=a\\ b,dc=x v=1");
    }

    #[test]
    fn tags_are_found_as_the_server_splits_the_series_key() {
        assert!(has_tag(b"m,a=1,dc=x", b"dc"));
        assert!(!has_tag(br"m,t=a\,dc=x", b"dc"));
        // The comma has a backslash right before it, so it does not start a tag.
        assert!(!has_tag(br"m,t=a\\,dc=x", b"dc"));
        assert!(has_tag(br"m,t\\,=a,dc=x", br"t\\,"));
    }

    #[test]
    fn a_later_default_tag_replaces_and_an_empty_one_removes() {
        let opts = WriterOptions::new().client_timestamps(false);
        let p =
            prep(opts.default_tag("host", "a").default_tag("host", "b").default_tag("dc", "x").default_tag("dc", ""));
        let mut f = Filling::default();
        f.push_line("m v=1", &p).unwrap();
        f.push_point(&crate::Point::new("m").field("v", 2_i64), &p).unwrap();
        assert_eq!(String::from_utf8(f.body).unwrap(), "m,host=b v=1\nm,host=b v=2i");
    }

    #[test]
    fn env_default_tags_are_read_when_the_writer_is_prepared() {
        let unset = "INFLUX_TEST_SURELY_UNSET_7F3A";
        let opts = WriterOptions::new().client_timestamps(false).default_tag("host", "a");
        let p = prep(opts.clone().default_tag_env_or("dc", unset, "x y").default_tag_env_or("host", unset, ""));
        let mut f = Filling::default();
        f.push_line("m v=1", &p).unwrap();
        f.push_point(&crate::Point::new("m").field("v", 2_i64), &p).unwrap();
        assert_eq!(String::from_utf8(f.body).unwrap(), "m,dc=x\\ y v=1\nm,dc=x\\ y v=2i");
        let e =
            Prepared::new(&opts.default_tag_env("dc", unset), &EncodeOptions::default(), &Arc::default()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Builder);
        assert!(e.to_string().starts_with(&format!("default tag `dc`: environment variable `{unset}` is not set")));
        let e =
            Prepared::new(&WriterOptions::new().default_tag("time", "x"), &EncodeOptions::default(), &Arc::default())
                .unwrap_err();
        assert_eq!(
            (e.kind(), e.to_string().as_str()),
            (ErrorKind::Builder, "tag key `time` is `time`, which the server reserves for the timestamp")
        );
    }

    #[test]
    fn a_bad_line_leaves_the_batch_unchanged() {
        let p = prep(WriterOptions::new());
        let mut f = Filling::default();
        f.push_line("m v=1", &p).unwrap();
        let before = f.body.clone();
        let err = f.push_line("bad", &p).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Encode);
        assert_eq!(err.to_string(), "line has no fields");
        assert_eq!(f.body, before);
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn encoded_points_get_a_client_stamp_only_when_they_have_none() {
        let p = prep(WriterOptions::new());
        let mut f = Filling::default();
        f.push_point(&crate::Point::new("m").field("v", 1_i64).timestamp(7_i64), &p).unwrap();
        // A value made of digits is not mistaken for a timestamp.
        f.push_point(&crate::Point::new("m").field("v", 15.0), &p).unwrap();
        let body = String::from_utf8(f.body.clone()).unwrap();
        let lines: Vec<&str> = body.lines().collect();
        assert_eq!(lines[0], "m v=1i 7");
        let (line, stamp) = lines[1].rsplit_once(' ').unwrap();
        assert_eq!(line, "m v=15.0");
        assert!(stamp.parse::<i64>().unwrap() > 1_600_000_000_000_000_000, "{stamp}");
    }

    #[test]
    fn a_point_without_fields_is_refused_before_sending() {
        let p = prep(WriterOptions::new());
        let mut f = Filling::default();
        f.push_point(&crate::Point::new("m").field("v", 1_i64), &p).unwrap();
        let before = f.body.clone();
        let err = f.push_point(&crate::Point::new("m").tag("t", "x"), &p).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Encode);
        assert!(err.to_string().contains("no field"), "{err}");
        assert_eq!(f.body, before);
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn batch_slices_lines_without_copying() {
        let p = prep(WriterOptions::new().client_timestamps(false));
        let mut f = Filling::default();
        for l in ["a v=1", "bb v=2", "ccc v=3"] {
            f.push_line(l, &p).unwrap();
        }
        let (body, ends, untimed, first) = f.take(None);
        assert!(untimed);
        assert_eq!(first, 0);
        let b = Batch { seq: 0, body: Bytes::from(body), ends, sealed_at: Instant::now(), idempotent: !untimed, first };
        assert_eq!(&b.body_of(0..3)[..], b"a v=1\nbb v=2\nccc v=3");
        assert_eq!(&b.body_of(1..3)[..], b"bb v=2\nccc v=3");
        assert_eq!(&b.line(2)[..], b"ccc v=3");
        assert_eq!(b.body_of(0..1).as_ptr(), b.body.as_ptr());
        f.push_line("d v=4", &p).unwrap();
        assert_eq!(f.take(None).3, 3, "the next batch starts at the writer-wide index 3");
    }
}
