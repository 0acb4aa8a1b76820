//! Binding optional floats so PostgreSQL always sees the same parameter type.
//!
//! sqlx 0.8's Any driver sends `None::<f64>` as a `real` (float4) NULL but `Some(x)`
//! as a `double precision`. PostgreSQL keeps a prepared statement's parameter types
//! from its first run, so a statement first run with a NULL then refuses every later
//! value ("incorrect binary data format"). `None::<f32>` is the NULL that reaches
//! PostgreSQL as a `double precision`, so that is what this sends. The demo import
//! on PostgreSQL (server test `the_server_runs_on_postgresql`) runs one prepared
//! multi-row INSERT with NULLs first and values later, and fails without this.

use sqlx::any::AnyTypeInfo;
use sqlx::encode::{Encode, IsNull};
use sqlx::error::BoxDynError;
use sqlx::{Any, Database, Type};

/// An optional `f64` parameter that keeps one type whether or not it is NULL.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NullableF64(pub Option<f64>);

impl Type<Any> for NullableF64 {
    fn type_info() -> AnyTypeInfo {
        <f64 as Type<Any>>::type_info()
    }
}

impl<'q> Encode<'q, Any> for NullableF64 {
    fn encode_by_ref(
        &self,
        buf: &mut <Any as Database>::ArgumentBuffer<'q>,
    ) -> Result<IsNull, BoxDynError> {
        match self.0 {
            Some(value) => <f64 as Encode<'q, Any>>::encode_by_ref(&value, buf),
            None => <Option<f32> as Encode<'q, Any>>::encode_by_ref(&None, buf),
        }
    }
}
