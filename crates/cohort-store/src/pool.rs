//! How busy the database connection pool is, for `/metrics`.

use sea_orm::DatabaseConnectionType;

use crate::Store;

/// The connection pool's state at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolUsage {
    /// Connections open now, in use or idle.
    pub open: u32,
    /// Open connections nobody uses now.
    pub idle: u32,
    /// The most connections the pool opens.
    pub max: u32,
}

impl Store {
    /// The pool's connections now; `None` for a connection that is no sqlx pool.
    pub fn pool_usage(&self) -> Option<PoolUsage> {
        // The accessors panic on another kind of connection: ask only for the one it is.
        let (open, idle, max) = match &self.db.inner {
            DatabaseConnectionType::SqlxPostgresPoolConnection(_) => {
                let pool = self.db.get_postgres_connection_pool();
                (
                    pool.size(),
                    pool.num_idle(),
                    pool.options().get_max_connections(),
                )
            }
            DatabaseConnectionType::SqlxSqlitePoolConnection(_) => {
                let pool = self.db.get_sqlite_connection_pool();
                (
                    pool.size(),
                    pool.num_idle(),
                    pool.options().get_max_connections(),
                )
            }
            #[allow(unreachable_patterns)]
            _ => return None,
        };
        Some(PoolUsage {
            open,
            idle: u32::try_from(idle).unwrap_or(u32::MAX),
            max,
        })
    }
}
