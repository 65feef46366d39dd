// DNNLBackend module
