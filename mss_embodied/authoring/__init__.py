"""Tools for scene authors: validate scene folders and render their images."""
