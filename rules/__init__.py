"""Rule files (one YAML per SPEC claim type), shared fragments, check descriptions and the jieba lexicon. Data only."""
