//! Compile-time versions of the line-protocol name rules (kept in step with
//! `influx::line_protocol`), and the default measurement name.

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

/// Which name a string is, for [`invalid`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Name {
    Measurement,
    TagKey,
    FieldKey,
}

/// Why `s` cannot be the name `what`, if it cannot: the rules (and messages)
/// of `influx_core`'s `line_protocol/escape.rs`, settled on a real server by
/// `tests/byte_matrix.rs`. `time` as a key is checked by the caller.
pub(crate) fn invalid(s: &str, what: Name) -> Option<&'static str> {
    let b = s.as_bytes();
    let Some(&first) = b.first() else { return Some("is empty") };
    if what == Name::Measurement && first == b'#' {
        return Some("starts with `#`, which the server reads as a comment line");
    }
    if what != Name::TagKey && (first == b'\t' || first == 0) {
        return Some("starts with a tab or a NUL byte, which the server strips");
    }
    // How many backslashes come right before the current byte.
    let mut run = 0_usize;
    for &c in b {
        match c {
            b'\n' if run % 2 == 0 => return Some("contains a newline, which line protocol cannot carry"),
            b'\\' => {
                run += 1;
                continue;
            }
            _ if run == 0 => continue,
            _ => {}
        }
        match (what, c) {
            (Name::Measurement, b',' | b'=' | b' ' | b'"') => {
                return Some(
                    "has a backslash before `,`, `=`, `\"` or a space, which the server drops when it lists measurements",
                )
            }
            (Name::FieldKey, b'"') => return Some("has a backslash before `\"`, which the server drops from field keys"),
            (Name::FieldKey, b',' | b'=' | b' ') if run % 2 == 1 => {
                return Some(
                    "has an odd number of backslashes before `,`, `=` or a space, which ends a field key early on the server",
                )
            }
            _ => {}
        }
        run = 0;
    }
    (run > 0).then_some("ends with a backslash, which line protocol cannot carry")
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
        use Name::*;
        assert!(invalid("", TagKey).is_some());
        assert!(invalid("a\nb", TagKey).is_some());
        assert!(invalid("a\\", Measurement).is_some());
        assert!(invalid("a\\\\", FieldKey).is_some());
        assert!(invalid("#m", Measurement).is_some());
        assert!(invalid("#m", TagKey).is_none());
        assert!(invalid("#m", FieldKey).is_none());
        assert!(invalid("cpu-load", Measurement).is_none());
        assert!(invalid("a\\b c", FieldKey).is_none());
    }

    #[test]
    fn leading_tab_or_nul_is_refused_where_the_server_strips_it() {
        for s in ["\tm", "\0m"] {
            assert!(invalid(s, Name::Measurement).is_some(), "{s:?}");
            assert!(invalid(s, Name::FieldKey).is_some(), "{s:?}");
            assert!(invalid(s, Name::TagKey).is_none(), "{s:?}");
        }
        assert!(invalid("m\t", Name::Measurement).is_none());
    }

    #[test]
    fn backslash_rules_differ_by_element() {
        use Name::*;
        for s in ["a\\,b", "a\\=b", "a\\ b", "a\\\"b", "a\\\\,b"] {
            assert!(invalid(s, Measurement).is_some(), "{s}");
            assert!(invalid(s, TagKey).is_none(), "{s}");
        }
        // Field keys: a backslash before `"` is lost, an odd run before a separator breaks the key.
        for s in ["a\\\"b", "a\\\\\"b", "a\\,b", "a\\\\\\=b"] {
            assert!(invalid(s, FieldKey).is_some(), "{s}");
        }
        for s in ["a\\\\,b", "a\\\\ b", "a\\\\\\\\=b", "a\\#b"] {
            assert!(invalid(s, FieldKey).is_none(), "{s}");
        }
    }

    /// Every name the byte matrix (`tests/byte_matrix.rs`) tries gets the same
    /// verdict and message here as from the run-time encoder.
    #[test]
    fn agrees_with_the_runtime_encoder() {
        use influx_core::line_protocol::Point;
        let mut seqs: Vec<String> = (0_u8..=0x20)
            .chain([0x7f, b',', b'=', b'"', b'\'', b'#', b'\\'])
            .map(|b| char::from(b).to_string())
            .collect();
        for run in 1..=4 {
            for c in [",", "=", " ", "\"", "'", "#", "\t", "\0", "\r", "\n", "x", ""] {
                seqs.push(format!("{}{c}", "\\".repeat(run)));
            }
        }
        let mut checked = 0;
        for seq in &seqs {
            for s in [format!("{seq}k"), format!("k{seq}k"), format!("k{seq}"), seq.clone()] {
                for what in [Name::Measurement, Name::TagKey, Name::FieldKey] {
                    let p = match what {
                        Name::Measurement => Point::new(s.as_str()).field("v", 1_i64),
                        Name::TagKey => Point::new("m").tag(s.as_str(), "v").field("v", 1_i64),
                        Name::FieldKey => Point::new("m").field(s.as_str(), 1_i64),
                    };
                    let escaped = escape(&s, what == Name::Measurement);
                    let line = match what {
                        Name::Measurement => format!("{escaped} v=1i"),
                        Name::TagKey => format!("m,{escaped}=v v=1i"),
                        Name::FieldKey => format!("m {escaped}=1i"),
                    };
                    match (invalid(&s, what), p.to_line_protocol()) {
                        (None, Ok(runtime)) => assert_eq!(runtime, line, "{what:?} {s:?}"),
                        (Some(why), Err(e)) => {
                            assert!(e.to_string().ends_with(why), "{what:?} {s:?}: `{why}` vs `{e}`")
                        }
                        (derive, runtime) => panic!("{what:?} {s:?}: derive {derive:?}, runtime {runtime:?}"),
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000);
    }
}
