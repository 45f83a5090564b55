//! Credentials, kept as ready `Authorization` header values marked sensitive.

use std::fmt;

use reqwest::header::HeaderValue;

#[derive(Clone)]
pub(crate) enum Auth {
    None,
    Basic { username: String, password: Box<str>, header: HeaderValue },
    Token { token: Box<str>, header: HeaderValue },
    Bearer { token: Box<str>, header: HeaderValue },
}

impl Auth {
    pub(crate) fn basic(username: String, password: String) -> Self {
        let raw = format!("{username}:{password}");
        let header = sensitive(&format!("Basic {}", base64(raw.as_bytes())));
        Auth::Basic { username, password: password.into(), header }
    }

    pub(crate) fn token(token: String) -> Self {
        let header = sensitive(&format!("Token {token}"));
        Auth::Token { token: token.into(), header }
    }

    /// The same token sent as `Authorization: Bearer <token>` (what every 3.x endpoint accepts;
    /// `Token` only works on its 1.x/2.x-compatible ones).
    pub(crate) fn into_bearer(self) -> Self {
        match self {
            Auth::Token { token, .. } => {
                let header = sensitive(&format!("Bearer {token}"));
                Auth::Bearer { token, header }
            }
            other => other,
        }
    }

    pub(crate) fn header(&self) -> Option<&HeaderValue> {
        match self {
            Auth::None => None,
            Auth::Basic { header, .. } | Auth::Token { header, .. } | Auth::Bearer { header, .. } => Some(header),
        }
    }

    /// Adds the `Authorization` header, if any, to a request.
    pub(crate) fn apply(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self.header() {
            Some(h) => req.header(reqwest::header::AUTHORIZATION, h.clone()),
            None => req,
        }
    }

    pub(crate) fn username(&self) -> Option<&str> {
        match self {
            Auth::Basic { username, .. } => Some(username),
            _ => None,
        }
    }

    /// What must never be shown: the password or token, and the header's
    /// credential part (`Basic <this>`), which an echoing proxy would show.
    pub(crate) fn secrets(&self) -> impl Iterator<Item = &str> {
        let (secret, header) = match self {
            Auth::None => (None, None),
            Auth::Basic { password, header, .. } => (Some(&**password), Some(header)),
            Auth::Token { token, header } | Auth::Bearer { token, header } => (Some(&**token), Some(header)),
        };
        let credential = header.and_then(|h| h.to_str().ok()).and_then(|h| h.split_once(' ')).map(|(_, c)| c);
        secret.into_iter().chain(credential)
    }
}

fn sensitive(s: &str) -> HeaderValue {
    // Control characters cannot go in a header; they become an invalid value the server rejects (401).
    let mut v = HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static("Invalid"));
    v.set_sensitive(true);
    v
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Basic { username, .. } => write!(f, "Basic({username:?}, <redacted>)"),
            Auth::Token { .. } => f.write_str("Token(<redacted>)"),
            Auth::Bearer { .. } => f.write_str("Bearer(<redacted>)"),
        }
    }
}

fn base64(input: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            out.push(if i <= chunk.len() { A[(n >> (18 - 6 * i)) as usize & 63] as char } else { '=' });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn bearer_keeps_the_token_and_hides_it() {
        let a = super::Auth::token("tok-1".into()).into_bearer();
        assert_eq!(a.header().unwrap().as_bytes(), b"Bearer tok-1");
        assert!(a.header().unwrap().is_sensitive());
        assert_eq!(format!("{a:?}"), "Bearer(<redacted>)");
        assert!(a.secrets().any(|s| s == "tok-1"));
    }

    #[test]
    fn base64_matches_rfc4648() {
        for (i, o) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg==")] {
            assert_eq!(super::base64(i.as_bytes()), o);
        }
    }
}
