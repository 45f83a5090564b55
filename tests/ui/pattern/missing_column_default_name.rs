use influx::decode::{DecodeRow, RowReader, SerdeRow, SeriesInfo};
use influx::line_protocol::{Encoder, WritePoint};
use influx::{Column, FieldType, InfluxPoint};

#[derive(serde::Deserialize)]
pub struct Load {
    load: f64,
}

impl WritePoint for Load {
    fn write_point(&self, _: &mut Encoder<'_>) -> influx::Result<()> {
        let _ = self.load;
        Ok(())
    }
}

impl InfluxPoint for Load {
    const MEASUREMENT: &'static str = "cpu_stats";
    const TAG_KEYS: &'static [&'static str] = &[];
    const FIELD_KEYS: &'static [&'static str] = &["load"];
    const TIME_KEY: Option<&'static str> = None;
    const COLUMNS: &'static [Column] = &[Column::field("load", FieldType::Float, false)];
}

impl DecodeRow for Load {
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
        // The column of `mean(load)` is named `mean`, not `load`.
        fn load() -> Vec<Load> = "SELECT mean(load) FROM cpu_stats";
    }
}

fn main() {}
