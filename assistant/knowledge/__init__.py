"""Knowledge base: offline embeddings, splitting, indexing and retrieval with citations."""
