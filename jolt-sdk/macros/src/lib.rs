//! `#[jolt::provable]`: turns a plain Rust function into a guest entry point
//! (feature `guest`, built for RV32IM) and typed host functions (feature
//! `host`): `compile_f`, `preprocess_f`, `execute_f`, `prove_f`, `verify_f`.
//! See the `jolt-sdk` crate docs for the generated signatures.
//!
//! Unsupported signatures are compile errors pointing at the offending
//! part: generics, `async`, `unsafe`, `extern`, `self`, variadics, argument
//! patterns other than plain names, references in arguments or the return
//! type. Argument and return types must implement serde's `Serialize` and
//! `DeserializeOwned`; the generated code asserts it with the type's span.

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::{format_ident, quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{parse_macro_input, Error, FnArg, Ident, ItemFn, LitInt, Pat, ReturnType, Token, Type};

/// The attribute's settings (all optional).
struct Config {
    max_cycles: Option<u64>,
    memory_size: Option<u64>,
    stack_size: Option<u64>,
    max_input_size: Option<u64>,
    max_output_size: Option<u64>,
}

impl Parse for Config {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut config = Config {
            max_cycles: None,
            memory_size: None,
            stack_size: None,
            max_input_size: None,
            max_output_size: None,
        };
        let pairs = Punctuated::<(Ident, LitInt), Token![,]>::parse_terminated_with(input, |p| {
            let name: Ident = p.parse()?;
            p.parse::<Token![=]>()?;
            Ok((name, p.parse()?))
        })?;
        for (name, value) in pairs {
            let slot = match name.to_string().as_str() {
                "max_cycles" => &mut config.max_cycles,
                "memory_size" => &mut config.memory_size,
                "stack_size" => &mut config.stack_size,
                "max_input_size" => &mut config.max_input_size,
                "max_output_size" => &mut config.max_output_size,
                other => {
                    return Err(Error::new(
                        name.span(),
                        format!(
                            "unknown setting `{other}`; expected max_cycles, memory_size, \
                             stack_size, max_input_size or max_output_size"
                        ),
                    ))
                }
            };
            if slot.is_some() {
                return Err(Error::new(name.span(), format!("`{name}` is set twice")));
            }
            *slot = Some(value.base10_parse()?);
        }
        Ok(config)
    }
}

/// Marks a function as provable; see the crate docs.
#[proc_macro_attribute]
pub fn provable(attr: TokenStream, item: TokenStream) -> TokenStream {
    let config = parse_macro_input!(attr as Config);
    let func = parse_macro_input!(item as ItemFn);
    match expand(&config, &func) {
        Ok(tokens) => tokens.into(),
        Err(e) => {
            let mut out = e.to_compile_error();
            // Keep the function itself so one error does not cascade.
            out.extend(quote!(#func));
            out.into()
        }
    }
}

fn check_signature(func: &ItemFn) -> syn::Result<(Vec<Ident>, Vec<Type>, Type)> {
    let sig = &func.sig;
    if let Some(a) = &sig.asyncness {
        return Err(Error::new(
            a.span(),
            "a provable function cannot be `async`",
        ));
    }
    if let Some(u) = &sig.unsafety {
        return Err(Error::new(
            u.span(),
            "a provable function cannot be `unsafe`",
        ));
    }
    if let Some(abi) = &sig.abi {
        return Err(Error::new(
            abi.span(),
            "a provable function cannot be `extern`",
        ));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        return Err(Error::new(
            sig.generics.span(),
            "a provable function cannot be generic: the guest is compiled for one concrete signature",
        ));
    }
    if let Some(v) = &sig.variadic {
        return Err(Error::new(
            v.span(),
            "a provable function cannot be variadic",
        ));
    }
    let mut names = Vec::new();
    let mut types = Vec::new();
    for arg in &sig.inputs {
        match arg {
            FnArg::Receiver(r) => {
                return Err(Error::new(
                    r.span(),
                    "a provable function cannot take `self`: make it a free function",
                ))
            }
            FnArg::Typed(t) => {
                let Pat::Ident(p) = &*t.pat else {
                    return Err(Error::new(
                        t.pat.span(),
                        "provable function arguments must be plain names",
                    ));
                };
                if p.by_ref.is_some() || p.subpat.is_some() {
                    return Err(Error::new(
                        p.span(),
                        "provable function arguments must be plain names",
                    ));
                }
                if let Some(r) = find_reference(&t.ty) {
                    return Err(Error::new(
                        r,
                        "provable function arguments must be owned values (they are deserialized from the input)",
                    ));
                }
                names.push(p.ident.clone());
                types.push((*t.ty).clone());
            }
        }
    }
    let output = match &sig.output {
        ReturnType::Default => syn::parse_quote!(()),
        ReturnType::Type(_, ty) => {
            if let Some(r) = find_reference(ty) {
                return Err(Error::new(
                    r,
                    "a provable function cannot return a reference: return an owned value",
                ));
            }
            (**ty).clone()
        }
    };
    Ok((names, types, output))
}

/// The span of the first reference (or `impl Trait`) inside a type.
fn find_reference(ty: &Type) -> Option<Span> {
    match ty {
        Type::Reference(r) => Some(r.span()),
        Type::ImplTrait(t) => Some(t.span()),
        Type::Paren(p) => find_reference(&p.elem),
        Type::Group(g) => find_reference(&g.elem),
        Type::Array(a) => find_reference(&a.elem),
        Type::Slice(s) => Some(s.span()),
        Type::Tuple(t) => t.elems.iter().find_map(find_reference),
        Type::Path(p) => p.path.segments.iter().find_map(|s| match &s.arguments {
            syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
                syn::GenericArgument::Type(t) => find_reference(t),
                syn::GenericArgument::Lifetime(l) => Some(l.span()),
                _ => None,
            }),
            _ => None,
        }),
        _ => None,
    }
}

fn expand(config: &Config, func: &ItemFn) -> syn::Result<TokenStream2> {
    let (names, types, output) = check_signature(func)?;
    let name = &func.sig.ident;
    let vis = &func.vis;
    let entry = format_ident!("__jolt_entry_{}", name);
    let compile = format_ident!("compile_{}", name);
    let preprocess = format_ident!("preprocess_{}", name);
    let execute = format_ident!("execute_{}", name);
    let prove = format_ident!("prove_{}", name);
    let verify = format_ident!("verify_{}", name);
    let config_mod = format_ident!("__jolt_config_{}", name);
    let name_str = name.to_string();
    let opt = |v: Option<u64>| match v {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    };
    let (max_cycles, memory_size, stack_size, max_input_size, max_output_size) = (
        opt(config.max_cycles),
        opt(config.memory_size),
        opt(config.stack_size),
        opt(config.max_input_size),
        opt(config.max_output_size),
    );
    // Every argument and the return value must cross the I/O boundary.
    let serde_checks = types.iter().chain(std::iter::once(&output)).map(|ty| {
        quote_spanned! {ty.span()=>
            __jolt_assert_serde::<#ty>();
        }
    });
    let doc_compile =
        format!("Builds the guest ELF of [`{name_str}`] for RV32IM (cargo caches the build).");
    let doc_preprocess =
        format!("Prover and verifier keys for [`{name_str}`]'s program (development SRS).");
    let doc_execute = format!("Runs [`{name_str}`] on the RISC-V tracer without proving: the output and a summary (cycles, instruction counts, cycle-tracker spans).");
    let doc_prove = format!("Runs [`{name_str}`] and proves the run: the output and the proof.");
    let doc_verify =
        format!("Checks that `proof` shows [`{name_str}`] returning `output` on these arguments.");

    Ok(quote! {
        #func

        #[cfg(feature = "guest")]
        #[doc(hidden)]
        pub fn #entry() {
            let (#(#names,)*): (#(#types,)*) = ::jolt::read_input();
            let output: #output = #name(#(#names),*);
            ::jolt::write_output(&output);
        }

        #[allow(dead_code)]
        const _: () = {
            fn __jolt_assert_serde<T: ::jolt::serde::Serialize + ::jolt::serde::de::DeserializeOwned>() {}
            fn __jolt_check() {
                #(#serde_checks)*
            }
        };

        #[cfg(feature = "host")]
        #[doc = #doc_compile]
        #vis fn #compile() -> ::core::result::Result<::jolt::host::Program, ::jolt::host::HostError> {
            ::jolt::host::compile_provable(env!("CARGO_MANIFEST_DIR"), #name_str, &#config_mod::CONFIG)
        }

        #[cfg(feature = "host")]
        #[doc = #doc_preprocess]
        #vis fn #preprocess(
            program: &::jolt::host::Program,
        ) -> ::core::result::Result<::jolt::host::Keys, ::jolt::host::HostError> {
            ::jolt::host::Keys::new(program, #config_mod::CONFIG.max_cycles())
        }

        #[cfg(feature = "host")]
        #[doc(hidden)]
        #[allow(non_snake_case)]
        mod #config_mod {
            pub const CONFIG: ::jolt::host::ProvableConfig = ::jolt::host::ProvableConfig {
                max_cycles: #max_cycles,
                memory_size: #memory_size,
                stack_size: #stack_size,
                max_input_size: #max_input_size,
                max_output_size: #max_output_size,
            };
        }

        #[cfg(feature = "host")]
        #[doc = #doc_execute]
        #vis fn #execute(
            #(#names: #types),*
        ) -> ::core::result::Result<(#output, ::jolt::host::Summary), ::jolt::host::HostError> {
            let program = #compile()?;
            ::jolt::host::execute_provable(&program, &(#(#names,)*), #config_mod::CONFIG.max_cycles())
        }

        #[cfg(feature = "host")]
        #[doc = #doc_prove]
        #vis fn #prove(
            keys: &::jolt::host::Keys,
            #(#names: #types),*
        ) -> ::core::result::Result<(#output, ::jolt::host::Proof), ::jolt::host::HostError> {
            ::jolt::host::prove_provable(keys, &(#(#names,)*))
        }

        #[cfg(feature = "host")]
        #[doc = #doc_verify]
        #vis fn #verify(
            vk: &::jolt::host::VerifierKey,
            #(#names: #types,)*
            output: #output,
            proof: &::jolt::host::Proof,
        ) -> ::core::result::Result<(), ::jolt::host::HostError> {
            ::jolt::host::verify_provable(vk, &(#(#names,)*), &output, proof)
        }
    })
}
