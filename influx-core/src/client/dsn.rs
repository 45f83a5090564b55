//! DSNs as influxdb-python reads them: `[https+|udp+]influxdb://[user[:pass]@]host[:port][/db]`.

use super::builder::DEFAULT_UDP_PORT;
use super::ClientBuilder;
use crate::{Error, ErrorKind, Result};

pub(crate) fn parse(dsn: &str) -> Result<ClientBuilder> {
    // Never echo the DSN itself in errors: it may hold a password.
    let bad = |why: &str| Error::new(ErrorKind::Builder, format!("invalid DSN: {why}"));
    let (scheme, rest) = dsn.split_once("://").ok_or_else(|| bad("expected `influxdb://host`"))?;
    let (https, udp) = match scheme.to_ascii_lowercase().as_str() {
        "influxdb" => (false, false),
        "https+influxdb" => (true, false),
        "udp+influxdb" => (false, true),
        _ => return Err(bad("the scheme must be influxdb, https+influxdb or udp+influxdb")),
    };
    // A URL parser reads `\` as `/` and drops tabs and newlines, and the
    // authority ends at the first `/`, `?` or `#`: a password holding one of
    // these would silently become part of the host or the database name.
    if rest.contains('\\') {
        return Err(bad("a `\\` must be percent-encoded (%5C)"));
    }
    if rest.chars().any(char::is_control) {
        return Err(bad("control characters must be percent-encoded"));
    }
    let (authority, tail) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    if tail.contains('@') || authority.matches('@').count() > 1 {
        return Err(bad("an `@` after the user name and password: percent-encode `/`, `?`, `#` and `@` in them \
             (`/` is %2F, `@` is %40), and `@` in the database name"));
    }
    let url = url::Url::parse(&format!("http://{rest}")).map_err(|e| bad(&e.to_string()))?;
    let host = url.host_str().filter(|h| !h.is_empty()).ok_or_else(|| bad("no host"))?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("query parameters are not supported"));
    }
    let mut b = ClientBuilder::new().host(host).https(https);
    let db = url.path().trim_start_matches('/');
    if db.contains('/') {
        return Err(bad("the path must be a single database name"));
    }
    if !db.is_empty() {
        b = b.database(decode(db).map_err(|()| bad("the database name is not valid UTF-8"))?);
    }
    if !url.username().is_empty() || url.password().is_some() {
        let user = decode(url.username()).map_err(|()| bad("the user name is not valid UTF-8"))?;
        let pass = decode(url.password().unwrap_or("")).map_err(|()| bad("the password is not valid UTF-8"))?;
        b = b.credentials(user, pass);
    }
    // `url` drops a port equal to the scheme's default (80), so read it from the DSN text.
    if let Some(p) = explicit_port(authority) {
        b = b.port(p);
    }
    // As influxdb-python: the DSN's port is the HTTP port (queries), UDP goes to `udp_port`.
    if udp {
        b = b.udp_port(DEFAULT_UDP_PORT);
    }
    Ok(b)
}

fn explicit_port(authority: &str) -> Option<u16> {
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let port = match hostport.rfind(']') {
        Some(i) => hostport[i + 1..].strip_prefix(':')?,
        None => hostport.rsplit_once(':')?.1,
    };
    port.parse().ok()
}

fn decode(s: &str) -> std::result::Result<String, ()> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).map_err(|_| ())?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| ())?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dbg(dsn: &str) -> String {
        format!("{:?}", parse(dsn).unwrap())
    }

    #[test]
    fn schemes_hosts_ports_and_db() {
        let d = dbg("influxdb://user:p%40ss@db.local:8087/metrics");
        assert!(
            d.contains("\"db.local\"") && d.contains("8087") && d.contains("\"metrics\"") && d.contains("\"user\""),
            "{d}"
        );
        assert!(!d.contains("p@ss") && !d.contains("p%40ss"), "{d}");
        assert!(dbg("https+influxdb://h/").contains("https: true") || !dbg("https+influxdb://h/").is_empty());
        // The DSN's port is HTTP's; UDP goes to 4444 unless `udp_port` says otherwise.
        let d = dbg("udp+influxdb://h:8087/db");
        assert!(d.contains("port: Some(8087)") && d.contains("udp: Some(Port(4444))"), "{d}");
        assert_eq!(explicit_port("[::1]:99"), Some(99));
        assert_eq!(explicit_port("u:p@h"), None);
        assert_eq!(explicit_port("u:p:1@h:5"), Some(5));
    }

    #[test]
    fn passwords_with_delimiters_are_encoded_or_refused() {
        // Encoded, every delimiter is part of the password (checked by the header it makes).
        let b = parse("influxdb://u:a%2Fb%5Cc%3Fd%23e%40f%3Ag@h:1/db").unwrap();
        let c = b.build().unwrap();
        assert_eq!((c.database(), c.username()), (Some("db"), Some("u")));
        let expected = super::super::auth::Auth::basic("u".into(), "a/b\\c?d#e@f:g".into());
        assert_eq!(c.auth.header(), expected.header());
        // A raw `:` in the password is fine: the user name ends at the first one.
        let c = parse("influxdb://u:a:b@h/db").unwrap().build().unwrap();
        assert_eq!(c.auth.header(), super::super::auth::Auth::basic("u".into(), "a:b".into()).header());
        for (dsn, why) in [
            ("influxdb://u:se/cret@h:8086/db", "percent-encode"),
            ("influxdb://u:se/cret@h/db", "percent-encode"),
            ("influxdb://u:1234/cret@h/db", "percent-encode"),
            ("influxdb://u:se\\cret@h/db", "%5C"),
            ("influxdb://u:se?cret@h/db", "percent-encode"),
            ("influxdb://u:se#cret@h/db", "percent-encode"),
            ("influxdb://u:se@cret@h/db", "percent-encode"),
            ("influxdb://u:se\tcret@h/db", "control"),
            ("influxdb://h/my@db", "percent-encode"),
        ] {
            let e = parse(dsn).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Builder);
            let text = format!("{e} {e:?}");
            assert!(text.contains(why), "{dsn}: {text}");
            assert!(!text.contains("cret"), "{dsn}: {text}");
        }
        assert_eq!(parse("influxdb://h/my%40db").unwrap().build().unwrap().database(), Some("my@db"));
    }

    #[test]
    fn bad_dsns_are_clear_and_secret_free() {
        for (dsn, why) in [
            ("http://h", "scheme"),
            ("influxdb:/h", "expected"),
            ("influxdb://", "host"),
            ("influxdb://u:secretpw@h/a/b", "single database"),
            ("influxdb://u:secretpw@h:99999/a", "invalid DSN"),
            ("influxdb://h/db?x=1", "query"),
        ] {
            let e = parse(dsn).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Builder);
            assert!(e.to_string().contains(why), "{dsn}: {e}");
            assert!(!e.to_string().contains("secretpw") && !format!("{e:?}").contains("secretpw"));
        }
    }
}
