// Mammography module
