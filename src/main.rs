//! `phiscan`: proves, resource by resource, whether a cloud estate holding ePHI keeps its
//! HIPAA security promises. See README.md.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
