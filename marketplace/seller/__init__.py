"""The seller centre: where a store's owners and staff run their OPOP Mart store."""
