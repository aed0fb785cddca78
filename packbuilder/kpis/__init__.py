"""KPI returns, KPI RAG ratings and the risk register: read, rated and compared per period."""
