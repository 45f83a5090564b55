//! The rustls configuration handed to reqwest: crypto provider, trusted roots, client identity.
//!
//! Only with the `rustls-ring` or `rustls-aws-lc` feature. Built here rather than by reqwest so
//! that the provider and the roots are cargo features of this crate (reqwest ties `aws-lc-rs` and
//! the platform verifier together). What each choice costs: `docs/dependencies.md`.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::{Error, ErrorKind, Result};

/// The TLS options of a [`super::ClientBuilder`].
pub(crate) struct TlsOptions<'a> {
    pub(crate) ca_pem: &'a [Vec<u8>],
    pub(crate) ca_only: bool,
    pub(crate) identity_pem: Option<&'a [u8]>,
    pub(crate) accept_invalid_certs: bool,
    /// Something speaks TLS (an `https://` URL or proxy). Without it the roots are not loaded:
    /// reading the system's CA store costs tens of milliseconds and fails where there is none.
    pub(crate) needed: bool,
}

/// The crypto provider: the process-wide default if the application installed one
/// (`CryptoProvider::install_default`, e.g. a FIPS build), else the one our feature picked.
fn provider() -> Arc<CryptoProvider> {
    if let Some(p) = CryptoProvider::get_default() {
        return Arc::clone(p);
    }
    #[cfg(feature = "rustls-aws-lc")]
    let p = rustls::crypto::aws_lc_rs::default_provider();
    #[cfg(not(feature = "rustls-aws-lc"))]
    let p = rustls::crypto::ring::default_provider();
    Arc::new(p)
}

fn builder_error(msg: &str, e: impl std::error::Error + Send + Sync + 'static) -> Error {
    Error::new(ErrorKind::Builder, msg).with_source(e)
}

/// The rustls client configuration for these options.
pub(crate) fn client_config(o: &TlsOptions<'_>) -> Result<ClientConfig> {
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| builder_error("the TLS crypto provider supports no TLS version", e))?;
    let builder = if o.accept_invalid_certs {
        builder.dangerous().with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(provider)))
    } else {
        builder.with_root_certificates(roots(o)?)
    };
    let mut config = match o.identity_pem {
        Some(pem) => {
            let chain = certificates(pem, "invalid client certificate or key PEM")?;
            let key = PrivateKeyDer::from_pem_slice(pem)
                .map_err(|e| builder_error("invalid client certificate or key PEM: no usable private key", e))?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| builder_error("invalid client certificate or key PEM", e))?
        }
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols =
        if cfg!(feature = "http2") { vec![b"h2".to_vec(), b"http/1.1".to_vec()] } else { vec![b"http/1.1".to_vec()] };
    Ok(config)
}

fn certificates(pem: &[u8], what: &str) -> Result<Vec<CertificateDer<'static>>> {
    let certs = CertificateDer::pem_slice_iter(pem).collect::<std::result::Result<Vec<_>, _>>();
    match certs {
        Ok(c) if c.is_empty() => Err(Error::new(ErrorKind::Builder, format!("{what}: no certificate found"))),
        Ok(c) => Ok(c),
        Err(e) => Err(builder_error(what, e)),
    }
}

/// The given CA certificates, plus (unless `ca_only`) the roots the features choose.
fn roots(o: &TlsOptions<'_>) -> Result<RootCertStore> {
    let mut store = RootCertStore::empty();
    for pem in o.ca_pem {
        for cert in certificates(pem, "invalid CA certificate PEM")? {
            store.add(cert).map_err(|e| builder_error("invalid CA certificate PEM", e))?;
        }
    }
    if !o.needed {
        return Ok(store);
    }
    if o.ca_only {
        if store.is_empty() {
            return Err(Error::new(
                ErrorKind::Builder,
                "`ca_certificates_only(true)` needs a CA certificate from `ca_certificate_pem`",
            ));
        }
        return Ok(store);
    }
    #[cfg(feature = "webpki-roots")]
    store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    // A certificate the system's store cannot parse is skipped, as every rustls client does;
    // an empty or unreadable store is reported below when nothing else is trusted.
    #[cfg(feature = "native-roots")]
    let unreadable = {
        let native = rustls_native_certs::load_native_certs();
        store.add_parsable_certificates(native.certs);
        native.errors.into_iter().next().map(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)
    };
    #[cfg(not(feature = "native-roots"))]
    let unreadable: Option<Box<dyn std::error::Error + Send + Sync>> = None;
    if store.is_empty() {
        let why = if cfg!(feature = "native-roots") {
            "the system's CA store is empty or unreadable"
        } else {
            "neither the `native-roots` nor the `webpki-roots` feature of `influx` is on"
        };
        let e = Error::new(
            ErrorKind::Builder,
            format!("no trusted root certificate for https: {why}; give one with `ca_certificate_pem`"),
        );
        return Err(match unreadable {
            Some(source) => e.with_source(source),
            None => e,
        });
    }
    Ok(store)
}

/// `danger_accept_invalid_certs(true)`: any certificate, but the handshake's signatures are still
/// checked against it (so the peer holds the key of the certificate it shows).
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
