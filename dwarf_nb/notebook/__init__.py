"""The notebook surface: magics, rich display and widgets."""
