//! Compile-time versions of the line-protocol name rules (kept in step with
//! `influx_core::line_protocol`), and the default measurement name.

/// `s` escaped for line protocol: `,` and space in measurements; `,`, `=` and
/// space in keys. Backslashes stay as they are (InfluxDB 1.x never unescapes them).
pub(crate) fn escape(s: &str, measurement: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == ',' || c == ' ' || (c == '=' && !measurement) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Why `s` cannot be a measurement (`measurement`) or a tag or field key, if it cannot.
pub(crate) fn invalid(s: &str, measurement: bool) -> Option<&'static str> {
    if s.is_empty() {
        Some("is empty")
    } else if s.contains('\n') {
        Some("contains a newline, which line protocol cannot carry")
    } else if s.ends_with('\\') {
        Some("ends with a backslash, which line protocol cannot carry")
    } else if [",", "=", " ", "\""].iter().any(|c| s.contains(&format!("\\{c}"))) {
        Some("has a backslash before `,`, `=`, `\"` or a space, which InfluxDB 1.x does not read back unchanged")
    } else if measurement && s.starts_with('#') {
        Some("starts with `#`, which the server reads as a comment line")
    } else {
        None
    }
}

/// `CpuLoad` -> `cpu_load`, `HTTPRequest` -> `http_request`, `Disk2Io` -> `disk2_io`.
pub(crate) fn snake_case(ident: &str) -> String {
    let chars: Vec<char> = ident.chars().collect();
    let mut out = String::with_capacity(ident.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1);
            let boundary = match prev {
                None | Some('_') => false,
                Some(p) if p.is_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_uppercase() => next.is_some_and(|n| n.is_lowercase()),
                Some(_) => false,
            };
            if boundary {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_follows_word_boundaries() {
        for (from, to) in [
            ("Cpu", "cpu"),
            ("CpuLoad", "cpu_load"),
            ("HTTPRequest", "http_request"),
            ("DiskIO", "disk_io"),
            ("Disk2Io", "disk2_io"),
            ("already_snake", "already_snake"),
            ("Mixed_Case", "mixed_case"),
            ("A", "a"),
        ] {
            assert_eq!(snake_case(from), to, "{from}");
        }
    }

    #[test]
    fn escapes_like_the_runtime() {
        assert_eq!(escape("disk io,x=y", true), "disk\\ io\\,x=y");
        assert_eq!(escape("disk io,x=y", false), "disk\\ io\\,x\\=y");
        assert_eq!(escape("a\\b", false), "a\\b");
    }

    #[test]
    fn rejects_what_line_protocol_cannot_carry() {
        assert!(invalid("", false).is_some());
        assert!(invalid("a\nb", false).is_some());
        assert!(invalid("a\\", true).is_some());
        assert!(invalid("#m", true).is_some());
        assert!(invalid("#m", false).is_none());
        assert!(invalid("cpu-load", true).is_none());
        assert!(invalid("a\\,b", false).is_some());
        assert!(invalid("a\\\"b", true).is_some());
        assert!(invalid("a\\b c", false).is_none());
    }
}
