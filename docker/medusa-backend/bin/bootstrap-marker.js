"use strict"

// The table a successful bootstrap leaves in a store's database: written last by
// a seed, and part of the prepared snapshot, which is restored in one transaction.
// Its presence means the database is ready for this store's Medusa processes.
const MARKER_TABLE = "storefleet_bootstrap"

module.exports = { MARKER_TABLE }
