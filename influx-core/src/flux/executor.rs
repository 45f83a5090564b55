//! What a Flux pattern trait runs on: [`FluxExecutor`], implemented for every
//! [`FluxClient`] (the async InfluxDB 2 client) and for [`FluxRender`].

use serde::de::IgnoredAny;

use super::FluxQuery;
use crate::pattern::BoxFuture;
use crate::schema::{Column, ColumnKind};
use crate::{DecodeRow, Error, ErrorKind, Result, RowStream, SerdeRow};

/// Something a Flux pattern's methods run on.
///
/// `Output<'a, T>` is what a pattern method returns: a future of `Result<T>`
/// for an async client (every [`FluxClient`]), a `Result<T>` for a blocking
/// one, the rendered [`FluxQuery`] for [`FluxRender`].
///
/// A blocking client implements it with [`FluxOutput::fetch_blocking`]:
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::flux::{BlockingFluxClient, FluxExecutor, FluxOutput, FluxQuery};
/// use influx::{DecodeRow, Result};
///
/// struct Blocking;
/// impl BlockingFluxClient for Blocking {
///     fn flux_rows_blocking<T: DecodeRow + Send + 'static>(&self, _: FluxQuery) -> Result<Vec<T>> {
///         Ok(Vec::new()) // a real client sends the query and decodes the answer
///     }
/// }
/// impl FluxExecutor for Blocking {
///     type Output<'a, T: FluxOutput + 'a> = Result<T>;
///     fn execute_flux<'a, T: FluxOutput + 'a>(&'a self, query: Result<FluxQuery>) -> Result<T> {
///         T::fetch_blocking(self, query?)
///     }
/// }
/// let rows: Vec<(i64, f64)> = Blocking.execute_flux(Ok(FluxQuery::new("buckets()"))).unwrap();
/// assert!(rows.is_empty());
/// ```
pub trait FluxExecutor {
    /// What a pattern method returns.
    type Output<'a, T: FluxOutput + 'a>
    where
        Self: 'a;

    /// Runs (or, for [`FluxRender`], returns) a rendered query; `query` is an
    /// error if an argument could not be rendered.
    fn execute_flux<'a, T: FluxOutput + 'a>(&'a self, query: Result<FluxQuery>) -> Self::Output<'a, T>;
}

/// The executor that only renders: every Flux pattern method returns its
/// [`FluxQuery`], to log, test or send by hand.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::flux::{FluxExecutor, FluxQuery, FluxRender};
/// let q = FluxRender.execute_flux::<()>(Ok(FluxQuery::new("buckets()"))).unwrap();
/// assert_eq!(q.text(), "buckets()");
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct FluxRender;

impl FluxExecutor for FluxRender {
    type Output<'a, T: FluxOutput + 'a> = Result<FluxQuery>;

    fn execute_flux<'a, T: FluxOutput + 'a>(&'a self, query: Result<FluxQuery>) -> Self::Output<'a, T> {
        query
    }
}

/// An async client that runs Flux queries: implementing it makes the client
/// a [`FluxExecutor`], so every Flux pattern trait works on it.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::flux::{FluxClient, FluxExecutor, FluxQuery};
/// use influx::BoxFuture;
/// use influx::{DecodeRow, Result};
///
/// struct Client;
/// impl FluxClient for Client {
///     fn flux_rows<'a, T: DecodeRow + Send + 'static>(&'a self, _: FluxQuery) -> BoxFuture<'a, Result<Vec<T>>> {
///         Box::pin(async { Ok(Vec::new()) }) // a real client posts the query and decodes annotated CSV
///     }
/// }
/// # let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
/// # rt.block_on(async {
/// let first: Option<(i64, f64)> = Client.execute_flux(Ok(FluxQuery::new("buckets()"))).await.unwrap();
/// assert!(first.is_none());
/// # });
/// ```
pub trait FluxClient: Sync {
    /// Runs `query` and decodes every row of every table as a `T`.
    fn flux_rows<'a, T: DecodeRow + Send + 'static>(&'a self, query: FluxQuery) -> BoxFuture<'a, Result<Vec<T>>>;

    /// Runs `query` and decodes rows as they arrive. The default refuses:
    /// override it if the client can stream.
    fn flux_stream<'a, T: DecodeRow + Send + 'static>(
        &'a self,
        query: FluxQuery,
    ) -> BoxFuture<'a, Result<RowStream<T>>> {
        drop(query);
        Box::pin(async { Err(Error::new(ErrorKind::Runtime, "this client cannot stream Flux results")) })
    }
}

/// A blocking client that runs Flux queries; see [`FluxExecutor`] for the
/// four lines that make it an executor.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::flux::{BlockingFluxClient, FluxQuery};
/// use influx::{DecodeRow, Result};
/// struct Blocking;
/// impl BlockingFluxClient for Blocking {
///     fn flux_rows_blocking<T: DecodeRow + Send + 'static>(&self, _: FluxQuery) -> Result<Vec<T>> {
///         Ok(Vec::new())
///     }
/// }
/// let rows: Vec<(i64, f64)> = Blocking.flux_rows_blocking(FluxQuery::new("buckets()")).unwrap();
/// assert!(rows.is_empty());
/// ```
pub trait BlockingFluxClient {
    /// Runs `query` and decodes every row of every table as a `T`.
    fn flux_rows_blocking<T: DecodeRow + Send + 'static>(&self, query: FluxQuery) -> Result<Vec<T>>;
}

impl<C: FluxClient> FluxExecutor for C {
    type Output<'a, T: FluxOutput + 'a>
        = BoxFuture<'a, Result<T>>
    where
        Self: 'a;

    fn execute_flux<'a, T: FluxOutput + 'a>(&'a self, query: Result<FluxQuery>) -> Self::Output<'a, T> {
        match query {
            Ok(query) => T::fetch(self, query),
            Err(e) => Box::pin(async move { Err(e) }),
        }
    }
}

/// A type a Flux pattern may return: nothing (`()`: run, ignore the rows),
/// `Vec<T>`, `Option<T>` (the first row) or [`RowStream<T>`] (async clients
/// that stream) for a row type `T`.
pub trait FluxOutput: Sized + Send + 'static {
    /// Runs `query` on an async client.
    fn fetch<C: FluxClient>(client: &C, query: FluxQuery) -> BoxFuture<'_, Result<Self>>;

    /// Runs `query` on a blocking client.
    fn fetch_blocking<C: BlockingFluxClient>(client: &C, query: FluxQuery) -> Result<Self>;
}

impl FluxOutput for () {
    fn fetch<C: FluxClient>(client: &C, query: FluxQuery) -> BoxFuture<'_, Result<Self>> {
        let rows = client.flux_rows::<SerdeRow<IgnoredAny>>(query);
        Box::pin(async move { rows.await.map(drop) })
    }

    fn fetch_blocking<C: BlockingFluxClient>(client: &C, query: FluxQuery) -> Result<Self> {
        client.flux_rows_blocking::<SerdeRow<IgnoredAny>>(query).map(drop)
    }
}

impl<T: DecodeRow + Send + 'static> FluxOutput for Vec<T> {
    fn fetch<C: FluxClient>(client: &C, query: FluxQuery) -> BoxFuture<'_, Result<Self>> {
        client.flux_rows::<T>(query)
    }

    fn fetch_blocking<C: BlockingFluxClient>(client: &C, query: FluxQuery) -> Result<Self> {
        client.flux_rows_blocking::<T>(query)
    }
}

impl<T: DecodeRow + Send + 'static> FluxOutput for Option<T> {
    fn fetch<C: FluxClient>(client: &C, query: FluxQuery) -> BoxFuture<'_, Result<Self>> {
        let rows = client.flux_rows::<T>(query);
        Box::pin(async move { Ok(rows.await?.into_iter().next()) })
    }

    fn fetch_blocking<C: BlockingFluxClient>(client: &C, query: FluxQuery) -> Result<Self> {
        Ok(client.flux_rows_blocking::<T>(query)?.into_iter().next())
    }
}

impl<T: DecodeRow + Send + 'static> FluxOutput for RowStream<T> {
    fn fetch<C: FluxClient>(client: &C, query: FluxQuery) -> BoxFuture<'_, Result<Self>> {
        client.flux_stream::<T>(query)
    }

    fn fetch_blocking<C: BlockingFluxClient>(_: &C, _: FluxQuery) -> Result<Self> {
        Err(Error::new(ErrorKind::Runtime, "a pattern returning a stream needs an async client"))
    }
}

/// The query a Flux pattern renders.
#[doc(hidden)]
pub fn flux_query(text: String) -> FluxQuery {
    FluxQuery::new(text)
}

/// How many field columns a row type has; `query_pattern!` requires a pivot
/// for more than one (unpivoted Flux rows carry one field each).
#[doc(hidden)]
pub const fn field_count(columns: &[Column]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < columns.len() {
        if matches!(columns[i].kind, ColumnKind::Field) {
            n += 1;
        }
        i += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::decode::{decode_rows, DecodeContext};

    /// The client side only: answers every query with canned 1.x-shaped rows
    /// and records the query text it was sent.
    struct Canned {
        sent: Mutex<Vec<String>>,
    }

    const BODY: &[u8] = br#"{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","v"],"values":[[1,0.5],[2,1.5]]}]}]}"#;

    impl Canned {
        fn new() -> Self {
            Self { sent: Mutex::new(Vec::new()) }
        }

        fn answer<T: DecodeRow>(&self, query: FluxQuery) -> Result<Vec<T>> {
            self.sent.lock().unwrap().push(query.into_text());
            decode_rows(BODY, &DecodeContext::default())
        }
    }

    impl FluxClient for Canned {
        fn flux_rows<'a, T: DecodeRow + Send + 'static>(&'a self, query: FluxQuery) -> BoxFuture<'a, Result<Vec<T>>> {
            let rows = self.answer(query);
            Box::pin(async move { rows })
        }
    }

    impl BlockingFluxClient for Canned {
        fn flux_rows_blocking<T: DecodeRow + Send + 'static>(&self, query: FluxQuery) -> Result<Vec<T>> {
            self.answer(query)
        }
    }

    struct Blocking(Canned);

    impl BlockingFluxClient for Blocking {
        fn flux_rows_blocking<T: DecodeRow + Send + 'static>(&self, query: FluxQuery) -> Result<Vec<T>> {
            self.0.flux_rows_blocking(query)
        }
    }

    impl FluxExecutor for Blocking {
        type Output<'a, T: FluxOutput + 'a> = Result<T>;

        fn execute_flux<'a, T: FluxOutput + 'a>(&'a self, query: Result<FluxQuery>) -> Result<T> {
            T::fetch_blocking(self, query?)
        }
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
    }

    #[test]
    fn async_client_outputs() {
        let c = Canned::new();
        let q = || Ok(FluxQuery::new("q"));
        let all: Vec<(i64, f64)> = block_on(c.execute_flux(q())).unwrap();
        assert_eq!(all, vec![(1, 0.5), (2, 1.5)]);
        let first: Option<(i64, f64)> = block_on(c.execute_flux(q())).unwrap();
        assert_eq!(first, Some((1, 0.5)));
        block_on(c.execute_flux::<()>(q())).unwrap();
        let e = block_on(c.execute_flux::<RowStream<(i64, f64)>>(q())).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Runtime);
        // The default `flux_stream` refuses without sending.
        assert_eq!(c.sent.lock().unwrap().len(), 3);
    }

    #[test]
    fn a_render_error_is_returned_and_nothing_is_sent() {
        let c = Canned::new();
        let e = block_on(c.execute_flux::<Vec<(i64, f64)>>(Err(Error::new(ErrorKind::Argument, "NaN")))).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Argument);
        assert!(c.sent.lock().unwrap().is_empty());
    }

    #[test]
    fn blocking_client_outputs() {
        let b = Blocking(Canned::new());
        let all: Vec<(i64, f64)> = b.execute_flux(Ok(FluxQuery::new("a"))).unwrap();
        assert_eq!(all.len(), 2);
        let first: Option<(i64, f64)> = b.execute_flux(Ok(FluxQuery::new("b"))).unwrap();
        assert_eq!(first, Some((1, 0.5)));
        b.execute_flux::<()>(Ok(FluxQuery::new("c"))).unwrap();
        assert!(b.execute_flux::<RowStream<(i64, f64)>>(Ok(FluxQuery::new("d"))).is_err());
        assert!(b.execute_flux::<()>(Err(Error::new(ErrorKind::Argument, "x"))).is_err());
        assert_eq!(*b.0.sent.lock().unwrap(), ["a", "b", "c"]);
    }

    #[test]
    fn render_returns_the_query() {
        let q = FluxRender.execute_flux::<Vec<(i64, f64)>>(Ok(FluxQuery::new("x"))).unwrap();
        assert_eq!(q.text(), "x");
    }

    #[test]
    fn counts_fields() {
        use crate::schema::FieldType;
        let cols = [Column::time(false), Column::tag("host", false), Column::field("a", FieldType::Float, true)];
        assert_eq!(field_count(&cols), 1);
        assert_eq!(field_count(&[]), 0);
    }
}
