"""The employer registry (用人单位): identity by unified social credit code, district, municipal ownership."""
