//! The one table of database and administrative ports, shared by every cloud: the defaults
//! of `params.db_ports` and `params.admin_ports` (the internet-exposure checks) and the ports
//! the segmentation checks (`*-db-tier-bastion-only`) watch on the data tier.
//!
//! Why the stores' consoles and agents count as database ports: the seed companies run
//! Elasticsearch, CockroachDB, Logstash and Prometheus on VMs, and a console or an ingest
//! port reads or writes the same data as the wire protocol. SSH and RDP alone are
//! administrative: widening `admin_ports` would change what every existing
//! "no public admin port" verdict means.

/// What a listening port gives access to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortUse {
    /// A shell or desktop of the host.
    Admin,
    /// A data store: its wire protocol, console, ingest or metrics API.
    Database,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownPort {
    pub port: u16,
    pub service: &'static str,
    pub usage: PortUse,
}

const fn admin(port: u16, service: &'static str) -> KnownPort {
    KnownPort {
        port,
        service,
        usage: PortUse::Admin,
    }
}

const fn db(port: u16, service: &'static str) -> KnownPort {
    KnownPort {
        port,
        service,
        usage: PortUse::Database,
    }
}

/// Administrative ports first, then the managed engines' ports (the defaults phiscan had
/// before issue 14, in their order), then the self-hosted stores of the seed companies.
pub const KNOWN_PORTS: &[KnownPort] = &[
    admin(22, "SSH"),
    admin(3389, "RDP"),
    db(5432, "PostgreSQL"),
    db(3306, "MySQL / Percona / MariaDB"),
    db(1433, "SQL Server"),
    db(1521, "Oracle"),
    db(27017, "MongoDB"),
    db(6379, "Redis"),
    db(9200, "Elasticsearch HTTP"),
    db(9300, "Elasticsearch transport"),
    db(26257, "CockroachDB"),
    db(8080, "CockroachDB console"),
    db(5044, "Logstash Beats input"),
    db(9600, "Logstash monitoring API"),
    db(9090, "Prometheus"),
    db(9093, "Prometheus Alertmanager"),
    db(9100, "Prometheus node exporter"),
    db(5601, "Kibana"),
];

/// The ports of one use, in table order.
pub fn ports_of(usage: PortUse) -> Vec<u16> {
    KNOWN_PORTS
        .iter()
        .filter(|k| k.usage == usage)
        .map(|k| k.port)
        .collect()
}

/// What usually listens on `port`, for evidence (`5432 (PostgreSQL)`).
pub fn service(port: u16) -> Option<&'static str> {
    KNOWN_PORTS
        .iter()
        .find(|k| k.port == port)
        .map(|k| k.service)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_port_once_with_the_issue_14_stores() {
        let mut all: Vec<u16> = KNOWN_PORTS.iter().map(|k| k.port).collect();
        all.sort_unstable();
        let n = all.len();
        all.dedup();
        assert_eq!(all.len(), n, "a port is listed twice");
        let db = ports_of(PortUse::Database);
        for p in [
            9200, 9300, 26257, 8080, 5044, 9600, 9090, 9093, 9100, 5601, 3306, 5432, 6379, 27017,
            1433, 1521,
        ] {
            assert!(db.contains(&p), "{p}");
        }
        assert_eq!(ports_of(PortUse::Admin), vec![22, 3389]);
        assert_eq!(service(26257), Some("CockroachDB"));
    }
}
