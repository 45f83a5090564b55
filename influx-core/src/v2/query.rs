//! Flux queries: `POST /api/v2/query`, its annotated-CSV answer decoded as it
//! arrives into the same row types as 1.x answers (see `docs/flux.md`).

use futures::{StreamExt, TryStreamExt};
use tracing::{debug, trace};

use super::{error, Client};
use crate::client::http::transport;
use crate::client::RowStream;
use crate::decode::stream::{gap_bounded, ByteStream};
use crate::decode::{flux_record_stream, flux_row_stream, DecodeRow, FluxRecord};
use crate::flux::{FluxClient, FluxQuery};
use crate::pattern::BoxFuture;
use crate::{Error, ErrorKind, Result};

impl Client {
    /// Sends a Flux query; the answer's body, each piece bounded by `chunk_timeout`.
    pub(crate) async fn send_flux(&self, q: &FluxQuery) -> Result<ByteStream> {
        let (org_key, org) = self.org_param(None)?;
        let mut body = serde_json::json!({
            "query": q.text(),
            "type": "flux",
            "dialect": {
                "header": true,
                "delimiter": ",",
                "annotations": ["datatype", "group", "default"],
                "commentPrefix": "#",
                "dateTimeFormat": "RFC3339Nano",
            },
        });
        if let Some(now) = q.now() {
            body["now"] = now.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true).into();
        }
        if let Some(params) = q.params() {
            body["params"] = params.clone().into();
        }
        let body = serde_json::to_vec(&body)
            .map_err(|e| Error::new(ErrorKind::Encode, "cannot encode the query").with_source(e))?;
        // The answer streams: the timeout bounds the wait for it to start, `chunk_timeout` each gap.
        let req = self
            .shared
            .http
            .post(self.url("/api/v2/query"))
            .query(&[(org_key, org)])
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::ACCEPT, "application/csv")
            .body(body);
        debug!(org, "flux query");
        trace!(text = q.text(), "flux query text");
        // A query reads: any node may answer it. `send` bounds each node's
        // wait for the answer to start by the timeout.
        let req = self.authorize(req).build().map_err(transport)?;
        let resp = self.shared.send_request(req, true).await?;
        let resp = match self.shared.timeout {
            Some(t) => tokio::time::timeout(t, error::check(self, resp)).await.map_err(|_| {
                Error::new(ErrorKind::Timeout, format!("the server did not send its error within {t:?} (timeout)"))
            })??,
            None => error::check(self, resp).await?,
        };
        let body: ByteStream = Box::pin(resp.bytes_stream().map(|r| r.map_err(transport)));
        Ok(gap_bounded(body, self.shared.chunk_timeout))
    }

    /// Runs a Flux query and decodes every row of every table into `T`: a
    /// `#[derive(InfluxPoint)]` struct, a tuple or [`SerdeRow`](crate::SerdeRow).
    ///
    /// Pivoted answers (one column per field) decode straight into a derived
    /// struct; the mapping rules (`_time`, `_measurement`, tags, unpivoted
    /// `_value`) are in `docs/flux.md`. An error the server puts inside its 200
    /// (Flux's `error,reference` table) is [`ErrorKind::Query`]; a cell that
    /// does not fit is [`ErrorKind::Decode`] naming result, table, row and column.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// let rows: Vec<(i64, f64)> = client
    ///     .query_as(r#"from(bucket: "metrics") |> range(start: -1h) |> filter(fn: (r) => r._field == "usage") |> keep(columns: ["_time", "_value"])"#)
    ///     .await?;
    /// # let _ = rows; Ok(()) }
    /// ```
    pub async fn query_as<T>(&self, q: impl Into<FluxQuery>) -> Result<Vec<T>>
    where
        T: DecodeRow + Send + 'static,
    {
        self.query_stream::<T>(q).await?.try_collect().await
    }

    /// Runs a Flux query and decodes rows as they arrive: memory stays bounded
    /// by one network read whatever the answer's size. Rows before an error
    /// (an in-stream error table, a cut connection) are yielded, then the error.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// use futures::TryStreamExt;
    /// let mut rows = client.query_stream::<(i64, f64)>(r#"from(bucket: "metrics") |> range(start: -30d) |> keep(columns: ["_time", "_value"])"#).await?;
    /// while let Some((time, value)) = rows.try_next().await? {
    ///     # let _ = (time, value);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn query_stream<T>(&self, q: impl Into<FluxQuery>) -> Result<RowStream<T>>
    where
        T: DecodeRow + Send + 'static,
    {
        let body = self.send_flux(&q.into()).await?;
        Ok(RowStream::from_stream(Box::pin(flux_row_stream::<T, _, _>(body))))
    }

    /// Runs a Flux query and returns its raw records, each with its table's
    /// metadata (the official clients' `FluxTable`/`FluxRecord`).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// for r in client.query_records(r#"buckets()"#).await? {
    ///     println!("{} {:?}", r.table().id(), r.get("name"));
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn query_records(&self, q: impl Into<FluxQuery>) -> Result<Vec<FluxRecord>> {
        let body = self.send_flux(&q.into()).await?;
        flux_record_stream(body).try_collect().await
    }

    /// [`Client::query_records`] as a stream, one record at a time.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// use futures::TryStreamExt;
    /// let mut records = client.query_record_stream(r#"buckets()"#).await?;
    /// while let Some(r) = records.try_next().await? { println!("{:?}", r.get("name")); }
    /// # Ok(()) }
    /// ```
    pub async fn query_record_stream(&self, q: impl Into<FluxQuery>) -> Result<RowStream<FluxRecord>> {
        let body = self.send_flux(&q.into()).await?;
        Ok(RowStream::from_stream(Box::pin(flux_record_stream(body))))
    }
}

/// `query_pattern!` `#[flux]` traits run on the 2.x client.
impl FluxClient for Client {
    fn flux_rows<'a, T: DecodeRow + Send + 'static>(&'a self, query: FluxQuery) -> BoxFuture<'a, Result<Vec<T>>> {
        Box::pin(async move {
            let body = self.send_flux(&query).await?;
            flux_row_stream::<T, _, _>(body).try_collect().await
        })
    }

    fn flux_stream<'a, T: DecodeRow + Send + 'static>(
        &'a self,
        query: FluxQuery,
    ) -> BoxFuture<'a, Result<RowStream<T>>> {
        Box::pin(async move {
            let body = self.send_flux(&query).await?;
            Ok(RowStream::from_stream(Box::pin(flux_row_stream::<T, _, _>(body))))
        })
    }
}
