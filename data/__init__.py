"""The bundled knowledge base and example profiles, read via generator.resources.data_dir()."""
