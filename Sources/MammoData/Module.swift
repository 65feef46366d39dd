// MammoData module
