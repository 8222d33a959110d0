"""One module per pipeline step; each exposes ``STEP`` (see :class:`archive.pipeline.base.Step`)."""
