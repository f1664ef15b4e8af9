"""Report data for the printed documents, one module per document family (mirrors reports/)."""
