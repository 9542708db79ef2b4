"""Analytics: dashboard queries over the scan rollups, filters shared as URLs, live change
detection, exports (CSV, XLSX, PDF) and retention."""
