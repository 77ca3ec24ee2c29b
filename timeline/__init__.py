"""timeline: Japan–US defence and diplomacy news into a deduplicated, evidence-linked timeline."""

EXTRACTOR_VERSION = "0.1.0"

__all__ = ["EXTRACTOR_VERSION"]
