"""Analytics: the dashboard over the scan rollups, filters shared as URLs, live change
detection, exports (CSV, XLSX, PDF) and retention.

The dashboard's modules, by job: `views` (the dataclasses handed out), `buckets` (pure
time series, heat map, labels and rankings), `reads` (the SQL over rollups and raw
events) and `dashboard` (the authorized services that assemble a view from them)."""
