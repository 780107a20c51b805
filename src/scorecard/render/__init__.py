"""Renderers: each lays out a document model and decides nothing (see ``documents.model``)."""
