//! Rebuilds this crate when `frontend/dist` changes, so the binary embeds the SPA last
//! built by `frontend/build.sh`. The folder is made empty when missing (a clean clone),
//! which rust-embed then embeds as nothing: the binary serves the API only.

fn main() {
    let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../frontend/dist");
    if !dist.exists()
        && let Err(error) = std::fs::create_dir_all(&dist)
    {
        println!("cargo::warning=cannot create {}: {error}", dist.display());
    }
    println!("cargo::rerun-if-changed={}", dist.display());
}
