use influx::decode::{DecodeRow, RowReader, SerdeRow, SeriesInfo};
use influx::line_protocol::{Encoder, WritePoint};
use influx::{Column, FieldType, InfluxPoint};

/// Shaped like `#[derive(InfluxPoint)]` output: `host` and `load` are required.
#[derive(serde::Deserialize)]
pub struct HostLoad {
    host: String,
    load: f64,
    note: Option<String>,
}

impl WritePoint for HostLoad {
    fn write_point(&self, _: &mut Encoder<'_>) -> influx::Result<()> {
        let _ = (&self.host, self.load, &self.note);
        Ok(())
    }
}

impl InfluxPoint for HostLoad {
    const MEASUREMENT: &'static str = "cpu_stats";
    const TAG_KEYS: &'static [&'static str] = &["host"];
    const FIELD_KEYS: &'static [&'static str] = &["load", "note"];
    const TIME_KEY: Option<&'static str> = None;
    const COLUMNS: &'static [Column] = &[
        Column::tag("host", false),
        Column::field("load", FieldType::Float, false),
        Column::field("note", FieldType::String, true),
    ];
}

impl DecodeRow for HostLoad {
    type Plan = ();
    fn plan(s: &SeriesInfo<'_>) -> Result<(), String> {
        <SerdeRow<Self> as DecodeRow>::plan(s)
    }
    fn decode_row<'de, A: serde::de::SeqAccess<'de>>(r: &mut RowReader<'_, 'de, A, ()>) -> Result<Self, A::Error> {
        <SerdeRow<Self> as DecodeRow>::decode_row(r).map(|r| r.0)
    }
}

influx::query_pattern! {
    trait Q {
        // `note` is optional, `time` always comes back; `host` is missing.
        fn host_load(days: u32) -> Vec<HostLoad> =
            "SELECT mean(load) AS load FROM cpu_stats WHERE time > now() - {days}d GROUP BY time(1h)";
        // Passes: `host` selected, `mean` aliased to `load`.
        fn ok(days: u32) -> Vec<HostLoad> =
            "SELECT host, mean(load) AS load FROM cpu_stats WHERE time > now() - {days}d";
        // Passes: `SELECT *` may return anything.
        fn all() -> Option<HostLoad> = "SELECT * FROM cpu_stats";
    }
}

fn main() {}
