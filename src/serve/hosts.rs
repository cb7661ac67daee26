//! Which `Host` headers the preview answers: DNS rebinding lets a page on another site point
//! its own host name at this machine and read the preview, drafts included; the browser still
//! sends that name as `Host`. So only the names and addresses the server is reached by pass:
//! the IP address of the connection's own end (whatever `--bind` is), `localhost` on a loopback
//! connection, and the names given with `--allow-host`. Parsing is strict (RFC 3986 host and
//! optional port): `[::1]evil.com` or `a b` are not hosts.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

#[derive(Debug, PartialEq, Eq)]
pub enum Host {
    Ip(IpAddr),
    /// Lowercase, without a trailing dot.
    Name(String),
}

/// A `Host` header value split into host and port, or `None` when it is not one.
pub fn parse(value: &str) -> Option<(Host, Option<u16>)> {
    if let Some(rest) = value.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        let ip: Ipv6Addr = ip.parse().ok()?;
        return Some((Host::Ip(IpAddr::V6(ip)), port_after(after)?));
    }
    let (name, port) = match value.split_once(':') {
        Some((name, port)) => (name, Some(parse_port(port)?)),
        None => (value, None),
    };
    if let Ok(ip) = name.parse::<Ipv4Addr>() {
        return Some((Host::Ip(IpAddr::V4(ip)), port));
    }
    let name = name.strip_suffix('.').unwrap_or(name);
    let valid = !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    valid.then(|| (Host::Name(name.to_ascii_lowercase()), port))
}

/// `""` (no port) or `":1111"`.
fn port_after(after: &str) -> Option<Option<u16>> {
    match after {
        "" => Some(None),
        _ => Some(Some(parse_port(after.strip_prefix(':')?)?)),
    }
}

fn parse_port(digits: &str) -> Option<u16> {
    if digits.is_empty() || digits.len() > 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// What the server was told to accept besides its own addresses.
#[derive(Debug, Default, Clone)]
pub struct Allowed {
    /// The port the server listens on: a `Host` with another port is refused.
    pub port: u16,
    /// `--allow-host` names, as `Host::Name`.
    pub names: Vec<String>,
}

impl Allowed {
    /// Whether a request with this `Host` header, on a connection whose local end is `local`,
    /// is answered.
    pub fn permits(&self, value: &str, local: IpAddr) -> bool {
        let Some((host, port)) = parse(value) else {
            return false;
        };
        if port.is_some_and(|p| p != self.port) {
            return false;
        }
        let local = canonical(local);
        match host {
            Host::Ip(ip) => {
                let ip = canonical(ip);
                ip == local || (ip.is_loopback() && local.is_loopback())
            }
            Host::Name(name) => {
                (local.is_loopback() && (name == "localhost" || name.ends_with(".localhost")))
                    || self.names.contains(&name)
            }
        }
    }
}

/// An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, as a dual-stack socket reports) as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
    const LAN: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10));

    fn allowed() -> Allowed {
        Allowed {
            port: 1111,
            names: vec!["preview.example.jp".into()],
        }
    }

    #[test]
    fn parsing_is_strict() {
        assert_eq!(
            parse("[::1]:1111"),
            Some((Host::Ip("::1".parse().unwrap()), Some(1111)))
        );
        assert_eq!(
            parse("LocalHost."),
            Some((Host::Name("localhost".into()), None))
        );
        for bad in [
            "[::1]evil.com",
            "[::1]:",
            "[::1]:99999",
            "[evil.com]",
            "127.0.0.1:80:80",
            "127.0.0.1:",
            "a b",
            "evil.com@127.0.0.1",
            "",
            ".",
            "a..b",
            "::1",
            "127.0.0.1\0",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_loopback_connection_accepts_loopback_names_and_addresses() {
        let a = allowed();
        for ok in [
            "localhost",
            "localhost:1111",
            "127.0.0.1:1111",
            "[::1]:1111",
            "127.0.0.2",
        ] {
            assert!(a.permits(ok, LOOPBACK), "{ok}");
        }
        for bad in [
            "localhost:8080",
            "evil.example",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "192.0.2.10",
            "[::1]evil.com",
        ] {
            assert!(!a.permits(bad, LOOPBACK), "{bad}");
        }
    }

    #[test]
    fn any_bind_address_keeps_the_check() {
        let a = allowed();
        for ok in [
            "192.0.2.10:1111",
            "192.0.2.10",
            "preview.example.jp:1111",
            "PREVIEW.example.jp",
        ] {
            assert!(a.permits(ok, LAN), "{ok}");
        }
        let mapped = IpAddr::V6(Ipv4Addr::new(192, 0, 2, 10).to_ipv6_mapped());
        assert!(a.permits("192.0.2.10", mapped));
        for bad in [
            "localhost",
            "127.0.0.1",
            "192.0.2.11",
            "evil.example",
            "rebind.evil:1111",
        ] {
            assert!(!a.permits(bad, LAN), "{bad}");
        }
    }
}
