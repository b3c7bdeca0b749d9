//! A polynomial committed in pieces: a table of 2^n entries committed as
//! 2^k polynomials of 2^(n−k) entries each (piece j holds entries
//! [j·2^(n−k), (j+1)·2^(n−k))), so that an opening need not be as large as
//! the largest table.
//!
//! **Claim.** With the top k coordinates of a point split off,
//! r = (r_top, r_low), the table's multilinear extension is
//! P(r) = Σ_j eq(r_top, j)·P_j(r_low). A claim P(r) = v is therefore
//! handed on as 2^k claims P_j(r_low) = v_j, whose values the prover sends
//! and the verifier accepts only if Σ_j eq(r_top, j)·v_j = v. If P(r) ≠ v,
//! some v_j is not P_j(r_low), and the opening of the pieces rejects it.
//! The v_j must be absorbed before any challenge the opening draws (the
//! opening reduction absorbs every claim's value).
//!
//! Who uses it: the zkVM commits the lookup subtables' final counts
//! (2^16 cells) and, in a proof of a whole run, the memory window's two
//! columns this way when they are longer than the per-step columns, so
//! that the batched opening runs at the per-step size.

use super::error::{check_len, PcsError};
use super::Column;
use crate::field::JoltField;
use crate::poly::EqPolynomial;

/// The pieces of `column`, a table of 2^(`piece_vars` + k) entries, each of
/// 2^`piece_vars` entries; a piece past a short column's end is empty (a
/// zero polynomial, as committing pads with zeros).
pub fn split_column<F: JoltField>(
    column: Column<'_, F>,
    piece_vars: usize,
    pieces: usize,
) -> Vec<Column<'_, F>> {
    let size = 1usize << piece_vars;
    (0..pieces)
        .map(|j| {
            let start = (j * size).min(column.len());
            let end = ((j + 1) * size).min(column.len());
            column.slice(start, end)
        })
        .collect()
}

/// The prover's v_j = P_j(r_low) for every piece of `column`, `point` being
/// the claim's point on the whole table.
///
/// # Panics
/// If `point` has fewer than `piece_vars` coordinates.
pub fn piece_evals<F: JoltField>(column: Column<'_, F>, point: &[F], piece_vars: usize) -> Vec<F> {
    let (top, low) = point.split_at(point.len() - piece_vars);
    let eq_low = EqPolynomial::new(low.to_vec()).evals();
    split_column(column, piece_vars, 1 << top.len())
        .iter()
        .map(|piece| piece.evaluate_with_eq(&eq_low))
        .collect()
}

/// The verifier's check of one claim P(`point`) = `value` split into
/// `evals` (one per piece): Σ_j eq(r_top, j)·v_j = v. Returns r_low, the
/// point every piece is then opened at.
pub fn check_piece_evals<'p, F: JoltField>(
    point: &'p [F],
    value: F,
    evals: &[F],
    piece_vars: usize,
) -> Result<&'p [F], PcsError> {
    let top_vars = point.len().checked_sub(piece_vars).ok_or(PcsError::Shape {
        what: "point coordinates (at least a piece's variables)",
        expected: piece_vars,
        got: point.len(),
    })?;
    let pieces = u32::try_from(top_vars)
        .ok()
        .and_then(|k| 1usize.checked_shl(k))
        .ok_or(PcsError::Shape {
            what: "point coordinates (at most a piece's variables plus 63)",
            expected: piece_vars + usize::BITS as usize - 1,
            got: point.len(),
        })?;
    check_len("piece evaluations", pieces, evals.len())?;
    let (top, low) = point.split_at(top_vars);
    let eq_top = EqPolynomial::new(top.to_vec()).evals();
    let sum: F = eq_top.iter().zip(evals).map(|(e, v)| *e * v).sum();
    if sum != value {
        return Err(PcsError::PieceSum);
    }
    Ok(low)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::DensePolynomial;
    use ark_bn254::Fr;
    use ark_ff::UniformRand;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    fn table(n: usize) -> Vec<u32> {
        (0..1u32 << n)
            .map(|i| i.wrapping_mul(2_654_435_761) >> 7)
            .collect()
    }

    #[test]
    fn pieces_recombine_to_the_whole_and_open_at_the_low_point() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let values = table(6);
        let whole = DensePolynomial::<Fr>::from_u32s(&values);
        for piece_vars in 0..=6 {
            let point: Vec<Fr> = (0..6).map(|_| Fr::rand(&mut rng)).collect();
            let value = whole.evaluate(&point);
            let evals = piece_evals(Column::U32(&values), &point, piece_vars);
            let low = check_piece_evals(&point, value, &evals, piece_vars).unwrap();
            assert_eq!(low, &point[6 - piece_vars..]);
            let pieces = split_column(
                Column::<Fr>::U32(&values),
                piece_vars,
                1 << (6 - piece_vars),
            );
            for (piece, v) in pieces.iter().zip(&evals) {
                assert_eq!(piece.len(), 1 << piece_vars);
                let p = DensePolynomial::new(piece.to_field());
                assert_eq!(p.evaluate(low), *v);
            }
        }
    }

    #[test]
    fn a_short_column_splits_into_empty_pieces_past_its_end() {
        let values = table(3);
        let pieces = split_column(Column::<Fr>::U32(&values), 2, 4);
        let lens: Vec<usize> = pieces.iter().map(|p| p.len()).collect();
        assert_eq!(lens, [4, 4, 0, 0]);
        let point = [
            Fr::from(3u64),
            Fr::from(5u64),
            Fr::from(7u64),
            Fr::from(11u64),
        ];
        let whole = DensePolynomial::<Fr>::new_padded(Column::<Fr>::U32(&values).to_field());
        let mut padded = whole.evals().to_vec();
        padded.resize(16, Fr::from(0u64));
        let value = DensePolynomial::new(padded).evaluate(&point);
        let evals = piece_evals(Column::U32(&values), &point, 2);
        assert_eq!(evals[2], Fr::from(0u64));
        check_piece_evals(&point, value, &evals, 2).unwrap();
    }

    #[test]
    fn a_wrong_swapped_or_missing_piece_value_is_rejected() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let values = table(5);
        let point: Vec<Fr> = (0..5).map(|_| Fr::rand(&mut rng)).collect();
        let value = DensePolynomial::<Fr>::from_u32s(&values).evaluate(&point);
        let evals = piece_evals(Column::U32(&values), &point, 3);
        assert!(check_piece_evals(&point, value, &evals, 3).is_ok());
        assert!(check_piece_evals(&point, value + Fr::from(1u64), &evals, 3).is_err());
        for j in 0..evals.len() {
            let mut wrong = evals.clone();
            wrong[j] += Fr::from(1u64);
            assert!(matches!(
                check_piece_evals(&point, value, &wrong, 3),
                Err(PcsError::PieceSum)
            ));
        }
        let mut swapped = evals.clone();
        swapped.swap(0, 1);
        assert!(check_piece_evals(&point, value, &swapped, 3).is_err());
        assert!(matches!(
            check_piece_evals(&point, value, &evals[1..], 3),
            Err(PcsError::Shape { .. })
        ));
        assert!(matches!(
            check_piece_evals(&point[..2], value, &evals, 3),
            Err(PcsError::Shape { .. })
        ));
        let long = vec![Fr::from(1u64); 3 + 64];
        assert!(matches!(
            check_piece_evals(&long, value, &evals, 3),
            Err(PcsError::Shape { .. })
        ));
    }

    /// The opening, not the sum, catches pieces whose values still sum to
    /// the claim: one piece's value moved by δ·eq(r_top, 1), the other's by
    /// −δ·eq(r_top, 0).
    #[test]
    fn piece_values_that_sum_to_the_claim_but_are_wrong_fail_the_opening() {
        use crate::pcs::{CommitmentScheme, HyperKzg, ProverOpening, VerifierOpening};
        use crate::transcript::Transcript;
        let (pk, vk) = HyperKzg::insecure_dev_setup(5, 3);
        let mut rng = ChaCha20Rng::seed_from_u64(8);
        let values = table(6);
        let point: Vec<Fr> = (0..6).map(|_| Fr::rand(&mut rng)).collect();
        let value = DensePolynomial::<Fr>::from_u32s(&values).evaluate(&point);
        let pieces = split_column(Column::<Fr>::U32(&values), 5, 2);
        let commitments: Vec<_> = pieces
            .iter()
            .map(|&p| HyperKzg::commit(&pk, p).unwrap())
            .collect();
        let honest = piece_evals(Column::U32(&values), &point, 5);
        let eq_top = EqPolynomial::new(point[..1].to_vec()).evals();
        let delta = Fr::from(9u64);
        let forged = vec![honest[0] + delta * eq_top[1], honest[1] - delta * eq_top[0]];
        for (evals, accepted) in [(&honest, true), (&forged, false)] {
            let low = check_piece_evals(&point, value, evals, 5).unwrap();
            let claims: Vec<ProverOpening<'_, HyperKzg>> = (0..2)
                .map(|j| ProverOpening {
                    poly: pieces[j],
                    commitment: &commitments[j],
                    point: low,
                    eval: evals[j],
                })
                .collect();
            let proof = HyperKzg::prove_openings(&pk, &claims, &mut Transcript::new(b"p")).unwrap();
            let claims: Vec<VerifierOpening<'_, HyperKzg>> = (0..2)
                .map(|j| VerifierOpening {
                    commitment: &commitments[j],
                    point: low,
                    eval: evals[j],
                })
                .collect();
            let result =
                HyperKzg::verify_openings(&vk, &claims, &proof, &mut Transcript::new(b"p"));
            assert_eq!(result.is_ok(), accepted, "{result:?}");
        }
    }
}
