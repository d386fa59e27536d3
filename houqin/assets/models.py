"""School assets: the asset register, custody, transfers, loans, disposal, depreciation, stocktake."""
