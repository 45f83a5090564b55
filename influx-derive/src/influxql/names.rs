//! Keywords and functions of InfluxQL 1.x, and "did you mean" suggestions.

/// Reserved words (`influxql/token.go`). A bare word equal to one of these is not an identifier.
pub(crate) const KEYWORDS: &[&str] = &[
    "ALL",
    "ALTER",
    "ANALYZE",
    "AND",
    "ANY",
    "AS",
    "ASC",
    "BEGIN",
    "BY",
    "CARDINALITY",
    "CREATE",
    "CONTINUOUS",
    "DATABASE",
    "DATABASES",
    "DEFAULT",
    "DELETE",
    "DESC",
    "DESTINATIONS",
    "DIAGNOSTICS",
    "DISTINCT",
    "DROP",
    "DURATION",
    "END",
    "EVERY",
    "EXACT",
    "EXPLAIN",
    "FIELD",
    "FOR",
    "FROM",
    "GRANT",
    "GRANTS",
    "GROUP",
    "GROUPS",
    "IN",
    "INF",
    "INSERT",
    "INTO",
    "KEY",
    "KEYS",
    "KILL",
    "LIMIT",
    "MEASUREMENT",
    "MEASUREMENTS",
    "NAME",
    "OFFSET",
    "ON",
    "OR",
    "ORDER",
    "PASSWORD",
    "POLICIES",
    "POLICY",
    "PRIVILEGES",
    "QUERIES",
    "QUERY",
    "READ",
    "REPLICATION",
    "RESAMPLE",
    "RETENTION",
    "REVOKE",
    "SELECT",
    "SERIES",
    "SET",
    "SHARD",
    "SHARDS",
    "SHOW",
    "SLIMIT",
    "SOFFSET",
    "STATS",
    "SUBSCRIPTION",
    "SUBSCRIPTIONS",
    "TAG",
    "TO",
    "USER",
    "USERS",
    "VALUES",
    "WHERE",
    "WITH",
    "WRITE",
];

/// Functions the 1.x query engine knows (docs "InfluxQL functions"), plus the
/// clause helpers `now`, `time`, `fill` and `tz`.
pub(crate) const FUNCTIONS: &[&str] = &[
    // aggregations
    "count",
    "distinct",
    "integral",
    "mean",
    "median",
    "mode",
    "spread",
    "stddev",
    "sum",
    // selectors
    "bottom",
    "first",
    "last",
    "max",
    "min",
    "percentile",
    "sample",
    "top",
    // transformations
    "abs",
    "acos",
    "asin",
    "atan",
    "atan2",
    "ceil",
    "cos",
    "cumulative_sum",
    "derivative",
    "difference",
    "elapsed",
    "exp",
    "floor",
    "histogram",
    "ln",
    "log",
    "log2",
    "log10",
    "moving_average",
    "non_negative_derivative",
    "non_negative_difference",
    "pow",
    "round",
    "sin",
    "sqrt",
    "tan",
    // predictors and technical analysis
    "holt_winters",
    "holt_winters_with_fit",
    "chande_momentum_oscillator",
    "exponential_moving_average",
    "double_exponential_moving_average",
    "kaufmans_efficiency_ratio",
    "kaufmans_adaptive_moving_average",
    "triple_exponential_moving_average",
    "triple_exponential_derivative",
    "relative_strength_index",
    // clause helpers
    "now",
    "time",
];

pub(crate) fn is_keyword(word: &str) -> bool {
    KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(word))
}

pub(crate) fn is_function(word: &str) -> bool {
    FUNCTIONS.iter().any(|f| f.eq_ignore_ascii_case(word))
}

fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_ascii_lowercase().chars().collect();
    let b: Vec<char> = b.to_ascii_lowercase().chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j - 1] + cost).min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
            // An adjacent transposition (`FORM` for `FROM`) is one edit.
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// The closest candidate within a small edit distance, if any.
pub(crate) fn suggest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let limit = if word.len() <= 3 { 1 } else { 2 };
    candidates
        .iter()
        .map(|c| (distance(word, c), *c))
        .filter(|(d, _)| *d <= limit && *d > 0)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(suggest("SELEC", &["SELECT", "SHOW"]), Some("SELECT"));
        assert_eq!(suggest("FORM", &["FROM", "INTO"]), Some("FROM"));
        assert_eq!(suggest("mena", FUNCTIONS), Some("mean"));
        assert_eq!(suggest("xyzzy", &["SELECT"]), None);
        assert!(is_keyword("select") && !is_keyword("host"));
        assert!(is_function("MEAN") && !is_function("avg"));
    }
}
