pub mod cert_not_expiring;
