"""Brief templates and themes (YAML data), read via generator.resources.templates_dir()."""
